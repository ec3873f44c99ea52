#include "cli/console.h"

#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <iterator>

namespace attune::cli {
namespace {

// Restores the terminal's echo when it goes out of scope, even if reading fails.
class EchoOff {
 public:
  EchoOff() {
    if (tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

std::string Styled(std::string_view text, const char* code) {
  if (!UseColor()) return std::string(text);
  return std::string("\033[") + code + "m" + std::string(text) + "\033[0m";
}

}  // namespace

bool StdinIsTty() {
  return isatty(STDIN_FILENO) == 1;
}
bool StdoutIsTty() {
  return isatty(STDOUT_FILENO) == 1;
}

bool StderrIsTty() {
  return isatty(STDERR_FILENO) == 1;
}

bool UseColor() {
  // Asked once per line of a long list: the answer cannot change while attune runs.
  static const bool use_color = [] {
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    const bool dumb = term != nullptr && std::string_view(term) == "dumb";
    return StdoutIsTty() && !dumb && (no_color == nullptr || *no_color == '\0');
  }();
  return use_color;
}

int TerminalWidth() {
  constexpr int kDefaultWidth = 80;
  constexpr int kNarrowest = 20;
  int width = 0;
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr) {
    const std::string_view text(columns);
    std::from_chars(text.data(), text.data() + text.size(), width);
  }
  winsize size{};
  if (width <= 0 && StdoutIsTty() && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0) {
    width = size.ws_col;
  }
  if (width <= 0) width = kDefaultWidth;
  return width < kNarrowest ? kNarrowest : width;
}

std::string Bold(std::string_view text) {
  return Styled(text, "1");
}
std::string Dim(std::string_view text) {
  return Styled(text, "2");
}

Result<std::string> ReadAllStdin() {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (std::cin.bad()) return Status::IoError("could not read standard input");
  return text;
}

std::optional<std::string> PromptLine(std::string_view prompt, bool echo_off) {
  std::cerr << prompt << std::flush;
  std::optional<EchoOff> quiet;
  if (echo_off) quiet.emplace();
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (echo_off) std::cerr << "\n";
  if (!got) return std::nullopt;
  return line;
}

Status Confirm(std::string_view question, bool assume_yes) {
  if (assume_yes) return Status::Ok();
  if (!StdinIsTty()) {
    return Status::InvalidArgument("this needs a confirmation: run it again with --yes");
  }
  std::optional<std::string> answer = PromptLine(std::string(question) + " [y/N] ");
  if (answer && (*answer == "y" || *answer == "Y" || *answer == "yes")) return Status::Ok();
  return Status::Cancelled("you chose not to go ahead");
}

}  // namespace attune::cli
