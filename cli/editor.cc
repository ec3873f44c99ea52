#include "cli/editor.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

namespace attune::cli {
namespace {

std::string TempRoot() {
  for (const char* name : {"XDG_RUNTIME_DIR", "TMPDIR"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return "/tmp";
}

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

void WipeFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_NOFOLLOW);
  if (fd >= 0) {
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
      const std::vector<char> zeros(4096, 0);
      for (off_t done = 0; done < info.st_size;) {
        const size_t chunk = static_cast<size_t>(std::min<off_t>(info.st_size - done, 4096));
        const ssize_t wrote = ::write(fd, zeros.data(), chunk);
        if (wrote <= 0) break;
        done += wrote;
      }
      ::fsync(fd);
    }
    ::close(fd);
  }
  ::unlink(path.c_str());
}

// Wipes and removes everything in `dir` (editors may add swap or backup files), then `dir`.
void WipeDirectory(const std::string& dir) {
  if (DIR* handle = ::opendir(dir.c_str())) {
    std::vector<std::string> names;
    while (const dirent* item = ::readdir(handle)) {
      const std::string name = item->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(handle);
    for (const std::string& name : names) WipeFile(dir + "/" + name);
  }
  ::rmdir(dir.c_str());
}

std::string WithoutComments(const std::string& text) {
  std::istringstream in(text);
  std::string line, kept;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    kept += line + "\n";
  }
  while (!kept.empty() && (kept.back() == '\n' || kept.back() == ' ')) kept.pop_back();
  return kept;
}

Status RunEditor(const std::string& path) {
  const std::string command = HardenedEditorCommand(EditorCommand()) + " \"$1\"";
  const pid_t child = ::fork();
  if (child < 0) return Status::IoError("cannot start the editor");
  if (child == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), "sh", path.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::Cancelled("the editor did not finish cleanly; nothing was saved");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> EditInEditor(const std::string& initial, const std::string& header) {
  std::string dir = TempRoot() + "/attune-edit-XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) {
    return Status::IoError("cannot create a private temporary directory in " + TempRoot());
  }
  const std::string path = dir + "/entry.txt";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
  if (fd < 0) {
    WipeDirectory(dir);
    return Status::IoError("cannot create a temporary file for the editor");
  }
  const std::string content = header + initial;
  const bool written =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ::close(fd);
  Status ran = written ? RunEditor(path) : Status::IoError("cannot write the temporary file");
  std::string saved;
  if (ran.ok()) {
    std::ifstream in(path, std::ios::binary);
    saved.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  WipeDirectory(dir);
  if (!ran.ok()) return ran;
  std::string text = WithoutComments(saved);
  if (text.empty()) return Status::InvalidArgument("the text is empty; nothing was saved");
  return text;
}

}  // namespace attune::cli
