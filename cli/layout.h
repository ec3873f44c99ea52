// Laying plain text out in columns on a terminal of a given width. Widths count terminal cells,
// as wcwidth(3) gives them under a UTF-8 locale: CJK and most emoji take two, combining marks
// none. Colour is added after layout, so nothing here sees escape sequences.
#ifndef ATTUNE_CLI_LAYOUT_H_
#define ATTUNE_CLI_LAYOUT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attune::cli {

// How many terminal cells `text` takes.
size_t DisplayWidth(std::string_view text);

// `text` padded with spaces to `width` cells (unchanged if it is already as wide).
std::string PadRight(std::string_view text, size_t width);

// `text` cut to at most `width` cells, ending in "…" when something was cut.
std::string Shorten(std::string_view text, size_t width);

// Breaks `text` into lines of at most `width` cells, at spaces where possible; a word longer
// than a line is cut at a character boundary. Never returns an empty vector.
std::vector<std::string> Wrap(std::string_view text, size_t width);

// `text` wrapped to `width` as one paragraph: the first line starts with `first`, the others
// with `rest` (both count toward the width). Each line ends in a newline.
std::string Paragraph(std::string_view text, size_t width, std::string_view first,
                      std::string_view rest);

// A shell command laid out to be copied: its words are never broken, and lines end in " \"
// where it goes on, each continued line indented by two more spaces. Words inside quotes stay
// together. Lines may exceed `width` only when one word is wider than a line.
std::vector<std::string> WrapCommand(std::string_view command, size_t width);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_LAYOUT_H_
