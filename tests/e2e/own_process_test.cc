// What a running attune shows of itself to other processes. The passphrase variables
// (ATTUNE_PASSPHRASE, ATTUNE_NEW_PASSPHRASE) leave its environment at start-up, so the programs
// it starts (the editor) never inherit them and /proc/PID/environ no longer holds them; text
// given as arguments leaves /proc/PID/cmdline, which every local user may read, leaving only
// the command's name.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/background_process.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/partners.h"  // Contains, OpenFifoOnceRead, kStep

namespace attune::e2e {
namespace {

constexpr const char* kPassphrase = "Tamsin-old-passphrase-4471";
constexpr const char* kNewPassphrase = "Tamsin-new-passphrase-9902";

// /proc/PID/FILE with its NUL separators shown as newlines; nullopt if it cannot be read (only
// root, or the owner of a dumpable process, may read another's environ).
std::optional<std::string> ProcFile(pid_t pid, const std::string& file) {
  const int fd = ::open(("/proc/" + std::to_string(pid) + "/" + file).c_str(), O_RDONLY);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buffer[4096];
  ssize_t got = 0;
  while ((got = ::read(fd, buffer, sizeof buffer)) > 0)
    text.append(buffer, static_cast<size_t>(got));
  ::close(fd);
  if (got < 0) return std::nullopt;
  for (char& c : text) {
    if (c == '\0') c = '\n';
  }
  return text;
}

// The non-empty lines of `text`: what `ps` shows of a command line.
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) words.push_back(line);
  }
  return words;
}

class OwnProcessTest : public AttuneTest {
 protected:
  void SetUp() override {
    AttuneTest::SetUp();
    env["ATTUNE_PASSPHRASE"] = kPassphrase;
    const RunResult init = Run({"init", "--name", "Sam", "--interactive-kdf"});
    ASSERT_EQ(init.exit_code, kExitOk) << init;
  }

  // attune ARGS in the background, reading its passphrase from a FIFO, so that it waits there
  // (after parsing its arguments) until the test gives the passphrase with GivePassphrase().
  BackgroundProcess StartWaitingForPassphrase(std::vector<std::string> args) {
    EXPECT_EQ(::mkfifo(PathIn("passphrase").c_str(), 0600), 0);
    env.erase("ATTUNE_PASSPHRASE");
    args.insert(args.begin(), {"--passphrase-file", PathIn("passphrase")});
    return BackgroundProcess({ATTUNE_BINARY, args, env, "", kDefaultTimeout});
  }

  // Waits until attune has opened the FIFO (it is then past start-up); -1 if it never does.
  int WaitUntilItReadsThePassphrase() { return OpenFifoOnceRead(PathIn("passphrase"), kStep); }

  static void GivePassphrase(int fd) {
    const std::string line = std::string(kPassphrase) + "\n";
    EXPECT_EQ(::write(fd, line.data(), line.size()), static_cast<ssize_t>(line.size()));
    ::close(fd);
  }
};

TEST_F(OwnProcessTest, TheEditorDoesNotInheritThePassphraseVariables) {
  env["ATTUNE_NEW_PASSPHRASE"] = kNewPassphrase;
  WriteFile(PathIn("editor.sh"),
            std::string("#!/bin/sh\n") + kAttunePidFunction + "env > '" + PathIn("editor-env") +
                "'\ncat /proc/$(attune_pid)/environ | tr '\\0' '\\n' > '" +
                PathIn("attune-environ") + "'\nprintf 'written in the editor\\n' > \"$1\"\n");
  env["VISUAL"] = "sh " + PathIn("editor.sh");
  const RunResult added = RunOnTty({"add", "note"}, {});
  ASSERT_EQ(added.exit_code, kExitOk) << added;
  EXPECT_EQ(ListJson()[0]["text"], "written in the editor") << "the passphrase was used";

  const std::string editor_env = ReadFile(PathIn("editor-env"));
  ASSERT_TRUE(Contains(editor_env, "VISUAL=")) << editor_env;
  const std::string attune_env = ReadFile(PathIn("attune-environ"));
  // Only root may read the environ of a process that is not dumpable (main.cc), even its own.
  if (::geteuid() == 0) {
    EXPECT_TRUE(Contains(attune_env, "VISUAL=")) << "not attune's environment: " << attune_env;
  }
  for (const std::string* seen : {&editor_env, &attune_env}) {
    for (const char* secret :
         {"ATTUNE_PASSPHRASE", "ATTUNE_NEW_PASSPHRASE", kPassphrase, kNewPassphrase, "Tamsin"}) {
      EXPECT_FALSE(Contains(*seen, secret)) << secret << " in\n" << *seen;
    }
  }
}

// A `passwd` parked at the old passphrase no longer holds the new one in /proc/PID/environ.
TEST_F(OwnProcessTest, ThePassphraseVariablesAreGoneFromTheRunningProcess) {
  env["ATTUNE_NEW_PASSPHRASE"] = kNewPassphrase;
  BackgroundProcess changing = StartWaitingForPassphrase({"passwd", "--interactive-kdf"});
  const int fd = WaitUntilItReadsThePassphrase();
  ASSERT_GE(fd, 0) << changing.Wait(kStep);
  const std::optional<std::string> environ = ProcFile(changing.pid(), "environ");
  if (environ) {
    EXPECT_TRUE(Contains(*environ, "ATTUNE_HOME=")) << *environ;
    EXPECT_FALSE(Contains(*environ, kNewPassphrase)) << *environ;
    EXPECT_FALSE(Contains(*environ, "ATTUNE_NEW_PASSPHRASE")) << *environ;
  } else {
    EXPECT_NE(::geteuid(), 0u) << "root may read any process's environ";
  }
  GivePassphrase(fd);
  const RunResult changed = changing.Wait(kStep);
  ASSERT_EQ(changed.exit_code, kExitOk) << changed;
  env.erase("ATTUNE_NEW_PASSPHRASE");
  env["ATTUNE_PASSPHRASE"] = kNewPassphrase;
  EXPECT_EQ(Run({"list"}).exit_code, kExitOk) << "the new passphrase came from the variable";
}

// An `add` parked at the passphrase shows only the command's name in /proc/PID/cmdline, which
// every local user may read: not its text, tags, options or the passphrase file's name.
TEST_F(OwnProcessTest, ArgumentTextIsGoneFromTheCommandLineWhileItRuns) {
  BackgroundProcess adding = StartWaitingForPassphrase(
      {"add", "note", "Tamsin told me a secret", "--tag", "Tamsin-tag", "--json"});
  const int fd = WaitUntilItReadsThePassphrase();
  ASSERT_GE(fd, 0) << adding.Wait(kStep);
  const std::optional<std::string> cmdline = ProcFile(adding.pid(), "cmdline");
  ASSERT_TRUE(cmdline.has_value());
  EXPECT_EQ(Words(*cmdline), (std::vector<std::string>{ATTUNE_BINARY, "add"})) << *cmdline;
  GivePassphrase(fd);
  const RunResult added = adding.Wait(kStep);
  ASSERT_EQ(added.exit_code, kExitOk) << added;
  EXPECT_EQ(ParseJson(added.out)["text"], "Tamsin told me a secret");
  EXPECT_EQ(ParseJson(added.out)["tags"], nlohmann::json::array({"Tamsin-tag"}));
}

}  // namespace
}  // namespace attune::e2e
