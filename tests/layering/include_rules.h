// The module layering rules of attune, checked by reading #include lines and the module
// namespaces the code names (`crypto::` in cli/ breaks the arrows as surely as an #include).
//
// Modules are the top-level folders base, crypto, storage, protocol, node and cli. Each may
// include only the modules and third-party libraries its arrow allows (see include_rules.cc);
// the standard library is open to all, other system headers (POSIX) only to storage, node and
// cli, the modules that touch files, sockets and terminals; base, crypto and protocol stay pure.
// Inside node/, the public headers are the ones directly in node/ (other modules may include only
// those), and only node/link/ includes Asio. tests/ and everything outside the module folders is
// exempt.
//
// The checker is a pure function of (path, content) so its own tests can feed it fake files;
// CheckTree() applies it to a source tree on disk.
#ifndef ATTUNE_TESTS_LAYERING_INCLUDE_RULES_H_
#define ATTUNE_TESTS_LAYERING_INCLUDE_RULES_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace attune::layering {

struct Include {
  int line = 0;         // 1-based
  std::string target;   // the text between the delimiters, e.g. "crypto/aead.h"
  bool angled = false;  // <...> rather than "..."
};

// Every `#include` in `content`, and for .proto files every `import "..."`, in order.
std::vector<Include> ExtractIncludes(std::string_view content, bool is_proto);

struct NamespaceUse {
  int line = 0;      // 1-based
  std::string name;  // a module's namespace: "crypto" for `crypto::X` or `attune::crypto::X`
};

// Every use of a module's namespace in code (comments and literals are skipped). `std::` and
// namespaces of other libraries are not modules and are not reported.
std::vector<NamespaceUse> ExtractNamespaceUses(std::string_view content);

struct Violation {
  std::string file;  // relative to the source root, e.g. "protocol/frame.cc"
  int line = 0;
  std::string what;  // the include as written, e.g. "#include <sqlite3.h>"
  std::string why;   // the rule it breaks
};

// "file:line: what: why", the form a failing test prints.
std::string Describe(const Violation& violation);

// The module owning a root-relative path ("protocol/frame.h" -> "protocol"), or "" if the path
// is outside every module folder (such paths are exempt).
std::string_view ModuleOf(std::string_view relative_path);

// Checks one file as if it lived at `relative_path` (root-relative, '/'-separated).
std::vector<Violation> CheckFile(std::string_view relative_path, std::string_view content);

struct TreeReport {
  std::vector<std::string> files;  // every file checked, root-relative
  std::vector<Violation> violations;
};

// Checks every .h/.cc/.proto (and .hpp/.cpp) file under the module folders of `root`.
TreeReport CheckTree(const std::filesystem::path& root);

}  // namespace attune::layering

#endif  // ATTUNE_TESTS_LAYERING_INCLUDE_RULES_H_
