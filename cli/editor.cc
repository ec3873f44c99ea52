#include "cli/editor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "base/system_error.h"
#include "cli/drafts.h"
#include "cli/messages.h"
#include "node/private_file.h"

namespace attune::cli {
namespace {

std::string EditorCommand() {
  for (const char* name : {"VISUAL", "EDITOR"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return "vi";
}

// vi-family editors keep swap and history files with the text in them unless told not to.
std::string HardenedEditorCommand(const std::string& command) {
  const std::string program = command.substr(0, command.find(' '));
  const std::string base = program.substr(program.rfind('/') + 1);
  if (base == "vi" || base == "vim" || base == "nvim") return command + " -n -i NONE";
  return command;
}

// attune must outlive the editor to wipe its files. Ctrl-C and Ctrl-\ reach the whole
// foreground process group, and some editors take them as keys (emacs -nw reads C-g as
// SIGINT): attune ignores them while the editor runs, as system() does, and the editor decides.
// A hangup or a `kill` is held back until the files are wiped and then takes effect as usual.
class EditorSignals {
 public:
  EditorSignals() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGINT, &ignore, &interrupt_);
    ::sigaction(SIGQUIT, &ignore, &quit_);
    sigset_t held;
    sigemptyset(&held);
    sigaddset(&held, SIGHUP);
    sigaddset(&held, SIGTERM);
    ::sigprocmask(SIG_BLOCK, &held, &mask_);
  }
  ~EditorSignals() { Restore(); }
  EditorSignals(const EditorSignals&) = delete;
  EditorSignals& operator=(const EditorSignals&) = delete;

  // Also in the editor's process before exec, since ignored signals and the mask survive exec.
  // Async-signal-safe.
  void Restore() const {
    ::sigaction(SIGINT, &interrupt_, nullptr);
    ::sigaction(SIGQUIT, &quit_, nullptr);
    ::sigprocmask(SIG_SETMASK, &mask_, nullptr);
  }

 private:
  struct sigaction interrupt_ {};
  struct sigaction quit_ {};
  sigset_t mask_{};
};

// The text saved, without the lines of `header` that attune wrote above it (each taken out once,
// wherever it still stands unchanged). Every line the person wrote stays, one starting with #
// too: a heading or a #tag is theirs.
std::string WithoutHeader(const std::string& saved, const std::string& header) {
  std::vector<std::string> header_lines;
  std::istringstream header_in(header);
  for (std::string line; std::getline(header_in, line);) header_lines.push_back(line);
  std::istringstream in(saved);
  std::string line, kept;
  while (std::getline(in, line)) {
    const auto found = std::find(header_lines.begin(), header_lines.end(), line);
    if (found != header_lines.end()) {
      header_lines.erase(found);
      continue;
    }
    kept += line + "\n";
  }
  while (!kept.empty() && (kept.back() == '\n' || kept.back() == ' ')) kept.pop_back();
  return kept;
}

Status RunEditor(const std::string& path, const EditorSignals& signals) {
  const std::string command = HardenedEditorCommand(EditorCommand()) + " \"$1\"";
  const pid_t child = ::fork();
  if (child < 0) return Status::IoError("cannot start the editor");
  if (child == 0) {
    signals.Restore();
    ::execl("/bin/sh", "sh", "-c", command.c_str(), "sh", path.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  // 127 is the shell's "command not found" (and the child's own exit when sh is missing).
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    return Status::NotFound(EditorCommand()).WithReason(CliReason::kEditorNotFound);
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return EditorDidNotFinish();
  }
  return Status::Ok();
}

}  // namespace

Status EditorDidNotFinish() {
  return Status::Cancelled("the editor did not finish cleanly; nothing was saved");
}

Result<std::string> EditInEditor(const std::string& initial, const std::string& header) {
  ATTUNE_ASSIGN_OR_RETURN(DraftDirectory draft, DraftDirectory::Create());
  const std::string path = draft.path() + "/entry.txt";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return SystemErrorStatus(errno, "cannot create a file for the editor");
  const int write_error = node::WriteAll(fd, AsBytes(header + initial));
  ::close(fd);
  Status ran = Status::Ok();
  std::string saved;
  {
    const EditorSignals signals;  // restored (a held signal delivered) once the files are wiped
    ran = write_error == 0 ? RunEditor(path, signals)
                           : SystemErrorStatus(write_error, "cannot write the file for the editor");
    if (ran.ok()) {
      std::ifstream in(path, std::ios::binary);
      saved.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    draft.Wipe();
  }
  if (!ran.ok()) return ran;
  std::string text = WithoutHeader(saved, header);
  if (text.empty()) return Status::InvalidArgument("the text is empty; nothing was saved");
  return text;
}

}  // namespace attune::cli
