// ExtractNamespaceUses, declared in tests/layering/include_rules.h: a small scanner that skips
// comments, string and character literals, so only code that names a namespace counts.
#include <cctype>

#include "tests/layering/include_rules.h"

namespace attune::layering {
namespace {

constexpr std::string_view kModuleNamespaces[] = {"steps", "crypto", "storage", "protocol",
                                                  "tor",   "node",   "cli"};

bool IsIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// Blanks comments and the insides of literals (keeping newlines), so line numbers survive.
std::string CodeOnly(std::string_view content) {
  std::string code(content);
  enum class State { kCode, kLineComment, kBlockComment, kString, kChar } state = State::kCode;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    const char next = i + 1 < code.size() ? code[i + 1] : '\0';
    switch (state) {
      case State::kCode:
        if (c == '/' && next == '/') state = State::kLineComment;
        if (c == '/' && next == '*') state = State::kBlockComment;
        if (c == '"') state = State::kString;
        if (c == '\'' && (i == 0 || !std::isxdigit(static_cast<unsigned char>(code[i - 1])))) {
          state = State::kChar;  // a digit before it is a separator: 1'000
        }
        break;
      case State::kLineComment:
        if (c == '\n') state = State::kCode;
        break;
      case State::kBlockComment:
        if (c == '*' && next == '/') {
          code[i] = code[i + 1] = ' ';
          ++i;
          state = State::kCode;
        }
        break;
      case State::kString:
      case State::kChar:
        if (c == '\\') {
          code[i] = ' ';
          if (i + 1 < code.size() && code[i + 1] != '\n') code[++i] = ' ';
          continue;
        }
        if ((state == State::kString && c == '"') || (state == State::kChar && c == '\'')) {
          state = State::kCode;
          continue;
        }
        break;
    }
    if (state != State::kCode && code[i] != '\n' && code[i] != '"' && code[i] != '\'') {
      code[i] = ' ';
    }
  }
  return code;
}

}  // namespace

std::vector<NamespaceUse> ExtractNamespaceUses(std::string_view content) {
  const std::string code = CodeOnly(content);
  std::vector<NamespaceUse> uses;
  int line = 1;
  for (size_t i = 0; i < code.size(); ++i) {
    if (code[i] == '\n') {
      ++line;
      continue;
    }
    if (i > 0 && (IsIdentifierChar(code[i - 1]))) continue;
    // `attune::node::` counts as node; any other `x::node::` is someone else's node.
    const bool after_attune = i >= 8 && std::string_view(code).substr(i - 8, 8) == "attune::";
    if (i >= 2 && code[i - 1] == ':' && code[i - 2] == ':' && !after_attune) continue;
    for (std::string_view name : kModuleNamespaces) {
      if (std::string_view(code).substr(i).starts_with(std::string(name) + "::")) {
        uses.push_back({line, std::string(name)});
        break;
      }
    }
  }
  return uses;
}

}  // namespace attune::layering
