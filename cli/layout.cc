#include "cli/layout.h"

#include <locale.h>  // newlocale, uselocale (POSIX)
#include <wchar.h>   // wcwidth (X/Open)

#include <algorithm>
#include <utility>

namespace attune::cli {
namespace {

bool IsContinuationByte(char byte) {
  return (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
}

// The code point starting at `text[offset]` and how many bytes it takes. A malformed sequence
// counts as one byte of U+FFFD (attune's text is checked UTF-8; this only keeps layout safe).
std::pair<char32_t, size_t> DecodeAt(std::string_view text, size_t offset) {
  const auto lead = static_cast<unsigned char>(text[offset]);
  size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || offset + length > text.size()) return {U'\uFFFD', 1};
  char32_t point = length == 1 ? lead : lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if (!IsContinuationByte(text[offset + i])) return {U'\uFFFD', 1};
    point = (point << 6) | (static_cast<unsigned char>(text[offset + i]) & 0x3F);
  }
  return {point, length};
}

// How many terminal cells a code point takes: wcwidth(3) under a UTF-8 locale of its own (the
// program's locale stays "C"), so CJK and most emoji take two cells and combining marks none.
// A code point wcwidth does not know (a control character, say) takes one.
size_t CellsOf(char32_t point) {
  static const locale_t utf8 = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  if (point < 0x7F) return 1;  // ASCII: one cell (control characters are replaced earlier)
  if (utf8 == static_cast<locale_t>(0)) return 1;
  const locale_t previous = ::uselocale(utf8);
  const int cells = ::wcwidth(static_cast<wchar_t>(point));
  ::uselocale(previous);
  return cells < 0 ? 1 : static_cast<size_t>(cells);
}

// The byte offset just past the first `cells` terminal cells of `text` (or its size): a
// character that would cross the limit is left out whole.
size_t BytesFor(std::string_view text, size_t cells) {
  size_t offset = 0, used = 0;
  while (offset < text.size()) {
    const auto [point, length] = DecodeAt(text, offset);
    const size_t width = CellsOf(point);
    if (used + width > cells) break;
    used += width;
    offset += length;
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
  for (size_t offset = 0; offset < text.size();) {
    const auto [point, length] = DecodeAt(text, offset);
    width += CellsOf(point);
    offset += length;
  }
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
      // At least one character, even one wider than the whole line (a wide one at width 1).
      const size_t cut = std::max(BytesFor(word, width), DecodeAt(word, 0).second);
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
