#include "cli/layout.h"

#include <algorithm>

namespace attune::cli {
namespace {

bool IsContinuationByte(char byte) {
  return (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
}

// The byte offset just past the first `chars` characters of `text` (or its size).
size_t BytesFor(std::string_view text, size_t chars) {
  size_t offset = 0;
  for (size_t seen = 0; offset < text.size(); ++offset) {
    if (!IsContinuationByte(text[offset]) && seen++ == chars) break;
  }
  return offset;
}

// Splits at spaces; runs of spaces count as one.
std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find(' ', start);
    const size_t stop = end == std::string_view::npos ? text.size() : end;
    if (stop > start) words.push_back(text.substr(start, stop - start));
    start = stop + 1;
  }
  return words;
}

// Splits a command at spaces outside single or double quotes.
std::vector<std::string> ShellWords(std::string_view command) {
  std::vector<std::string> words;
  std::string current;
  char quote = '\0';
  for (const char c : command) {
    if (quote == '\0' && c == ' ') {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
      continue;
    }
    if (c == '"' || c == '\'') quote = quote == '\0' ? c : (quote == c ? '\0' : quote);
    current += c;
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

}  // namespace

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (const char byte : text) width += IsContinuationByte(byte) ? 0 : 1;
  return width;
}

std::string PadRight(std::string_view text, size_t width) {
  std::string out(text);
  const size_t shown = DisplayWidth(text);
  if (shown < width) out.append(width - shown, ' ');
  return out;
}

std::string Shorten(std::string_view text, size_t width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  if (width == 0) return "";
  return std::string(text.substr(0, BytesFor(text, width - 1))) + "…";
}

std::vector<std::string> Wrap(std::string_view text, size_t width) {
  if (width == 0) width = 1;
  std::vector<std::string> lines;
  std::string line;
  for (std::string_view word : Words(text)) {
    if (!line.empty() && DisplayWidth(line) + 1 + DisplayWidth(word) <= width) {
      line += ' ';
      line += word;
      continue;
    }
    if (!line.empty()) lines.push_back(std::move(line));
    line.clear();
    while (DisplayWidth(word) > width) {
      const size_t cut = BytesFor(word, width);
      lines.emplace_back(word.substr(0, cut));
      word.remove_prefix(cut);
    }
    line = std::string(word);
  }
  if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
  return lines;
}

std::string Paragraph(std::string_view text, size_t width, std::string_view first,
                      std::string_view rest) {
  const size_t indent = std::max(DisplayWidth(first), DisplayWidth(rest));
  const size_t room = width > indent + 10 ? width - indent : 10;
  std::string out;
  std::string_view prefix = first;
  for (const std::string& line : Wrap(text, room)) {
    out.append(prefix).append(line).append("\n");
    prefix = rest;
  }
  return out;
}

std::vector<std::string> WrapCommand(std::string_view command, size_t width) {
  constexpr std::string_view kContinued = " \\";
  constexpr std::string_view kIndent = "  ";
  // Room for the " \" that ends a line which goes on (the last line could use it, but a
  // command is short enough that this rarely matters).
  const size_t room = width > kContinued.size() ? width - kContinued.size() : 1;
  std::vector<std::string> lines;
  std::string line;
  bool line_has_word = false;
  for (const std::string& word : ShellWords(command)) {
    if (line_has_word && DisplayWidth(line) + 1 + DisplayWidth(word) > room) {
      lines.push_back(line + std::string(kContinued));
      line = std::string(kIndent);
      line_has_word = false;
    }
    if (line_has_word) line += ' ';
    line += word;
    line_has_word = true;
  }
  lines.push_back(std::move(line));
  return lines;
}

}  // namespace attune::cli
