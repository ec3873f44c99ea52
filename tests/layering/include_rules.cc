#include "tests/layering/include_rules.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

namespace attune::layering {
namespace {

// The arrows of the house: which of our modules each module may include (itself always).
struct ModuleRule {
  std::string_view module;
  std::vector<std::string_view> may_include;
  bool may_use_os_headers;  // POSIX and other non-standard system headers (files, sockets)
  // The few system headers a module without may_use_os_headers may still include, each for one
  // thing it owns: base's UniqueFd closes descriptors (close(2)), and opens or reads nothing.
  std::vector<std::string_view> os_headers = {};
};

const std::vector<ModuleRule>& ModuleRules() {
  static const std::vector<ModuleRule> rules = {
      {"base", {}, false, {"unistd.h"}},
      {"steps", {"base"}, false},
      {"crypto", {"base"}, false},
      {"storage", {"base"}, true},
      {"protocol", {"base", "crypto"}, false},
      {"tor", {"base", "crypto"}, false},
      {"node", {"base", "steps", "crypto", "storage", "protocol", "tor"}, true},
      {"cli", {"base", "steps", "node"}, true},
  };
  return rules;
}

// A third-party library, recognised by header prefix, and the only modules that may include it.
// The first match wins, so Asio comes before the rest of Boost.
struct Library {
  std::string_view name;
  std::vector<std::string_view> prefixes;
  std::vector<std::string_view> owners;
  std::string_view why;
};

const std::vector<Library>& Libraries() {
  static const std::vector<Library> libraries = {
      {"libsodium", {"sodium.h", "sodium/"}, {"crypto"}, "libsodium stays behind attune::crypto"},
      {"SQLite", {"sqlite3.h", "sqlite3ext.h"}, {"storage"}, "only storage talks to SQLite"},
      {"protobuf", {"google/protobuf/"}, {"protocol"}, "protobuf types stay inside protocol"},
      {"Asio", {"boost/asio", "asio.hpp", "asio/"}, {"node"}, "only node does network I/O"},
      {"zxcvbn", {"zxcvbn.h"}, {"node"}, "the passphrase estimator stays behind node"},
      {"Boost", {"boost/"}, {"node"}, "Boost is node's dependency"},
      {"nlohmann-json", {"nlohmann/"}, {"node", "cli"}, "JSON belongs to node and cli"},
      {"CLI11", {"CLI/"}, {"cli"}, "argument parsing belongs to cli"},
      {"GoogleTest", {"gtest/", "gmock/"}, {}, "test frameworks belong in tests/"},
  };
  return libraries;
}

// C++20 standard library headers (C compatibility headers in their <cname> form), plus the few
// C++23 ones a newer toolchain might offer.
// clang-format off
constexpr std::string_view kStandardHeaders[] = {
    "algorithm", "any", "array", "atomic", "barrier", "bit", "bitset", "cassert", "cctype",
    "cerrno", "cfenv", "cfloat", "charconv", "chrono", "cinttypes", "climits", "clocale", "cmath",
    "codecvt", "compare", "complex", "concepts", "condition_variable", "coroutine", "csetjmp",
    "csignal", "cstdarg", "cstddef", "cstdint", "cstdio", "cstdlib", "cstring", "ctime", "cuchar",
    "cwchar", "cwctype", "deque", "exception", "execution", "expected", "filesystem", "format",
    "forward_list", "fstream", "functional", "future", "initializer_list", "iomanip", "ios",
    "iosfwd", "iostream", "istream", "iterator", "latch", "limits", "list", "locale", "map",
    "memory", "memory_resource", "mutex", "new", "numbers", "numeric", "optional", "ostream",
    "print", "queue", "random", "ranges", "ratio", "regex", "scoped_allocator", "semaphore", "set",
    "shared_mutex", "source_location", "span", "sstream", "stack", "stacktrace", "stdexcept",
    "stop_token", "streambuf", "string", "string_view", "syncstream", "system_error", "thread",
    "tuple", "type_traits", "typeindex", "typeinfo", "unordered_map", "unordered_set", "utility",
    "valarray", "variant", "vector", "version",
};
// clang-format on

bool IsStandardHeader(std::string_view target) {
  return std::find(std::begin(kStandardHeaders), std::end(kStandardHeaders), target) !=
         std::end(kStandardHeaders);
}

const ModuleRule* RuleFor(std::string_view module) {
  for (const ModuleRule& rule : ModuleRules()) {
    if (rule.module == module) return &rule;
  }
  return nullptr;
}

const Library* LibraryFor(std::string_view target) {
  for (const Library& library : Libraries()) {
    for (std::string_view prefix : library.prefixes) {
      if (target.starts_with(prefix)) return &library;
    }
  }
  return nullptr;
}

bool Contains(const std::vector<std::string_view>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string JoinOrNothing(const std::vector<std::string_view>& names) {
  if (names.empty()) return "nothing of ours";
  std::string joined;
  for (std::string_view name : names) joined += (joined.empty() ? "" : ", ") + std::string(name);
  return joined;
}

// Rooms inside a module with rules of their own: node/ keeps its insides in node/journal/ and
// node/link/ behind the public headers directly in node/, and only node/link/, node/ui/ (the
// page's HTTP server, Boost.Beast over Asio) and node/agent/ (the unlock agent's socket) do I/O
// with Asio.
std::string JudgeRoom(std::string_view file, const Include& include) {
  const std::string_view target = include.target;
  const bool node_inside = target.starts_with("node/") && target.find('/', 5) != target.npos;
  if (node_inside && !file.starts_with("node/")) {
    return "node/journal and node/link are node's insides: include node's public headers "
           "(node/*.h)";
  }
  const bool public_header =
      file.starts_with("node/") && file.ends_with(".h") && file.find('/', 5) == file.npos;
  if (public_header && (node_inside || target.starts_with("storage/"))) {
    return "node's public headers show neither storage's types nor node's insides (the "
           "journal's database and keys are behind Journal::Backing)";
  }
  const Library* library = LibraryFor(target);
  const bool network = library != nullptr && (library->name == "Asio" || library->name == "Boost");
  if (network && file.starts_with("node/") && !file.starts_with("node/link/") &&
      !file.starts_with("node/ui/") && !file.starts_with("node/agent/")) {
    return "only node/link, node/ui and node/agent do socket I/O: Asio stays there";
  }
  return "";
}

// Why `module` may not include `target`, or "" if it may.
std::string Judge(const ModuleRule& rule, const Include& include) {
  const std::string_view target = include.target;
  if (target.ends_with(".pb.h")) {
    return rule.module == "protocol" ? "" : "generated protobuf headers stay inside protocol/";
  }
  if (const Library* library = LibraryFor(target)) {
    if (Contains(library->owners, rule.module)) return "";
    return std::string(library->name) + " may not be used in " + std::string(rule.module) +
           "/: " + std::string(library->why);
  }
  std::string_view module = ModuleOf(target);
  if (!module.empty()) {
    if (module == rule.module || Contains(rule.may_include, module)) return "";
    return std::string(rule.module) + " may not depend on " + std::string(module) +
           " (it may include " + JoinOrNothing(rule.may_include) + ")";
  }
  if (!include.angled || IsStandardHeader(target) || rule.may_use_os_headers ||
      Contains(rule.os_headers, target)) {
    return "";
  }
  return "a system header outside the standard library: only storage, node and cli touch the OS "
         "(if this is a standard header, add it to kStandardHeaders)";
}

size_t SkipSpaces(std::string_view line, size_t at) {
  while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
  return at;
}

// Returns true and fills `include` if `line` starts with `keyword` followed by a delimited path.
bool ParseDirective(std::string_view line, std::string_view keyword, bool allow_angled,
                    Include* include) {
  size_t at = SkipSpaces(line, 0);
  if (!line.substr(at).starts_with(keyword)) return false;
  at = SkipSpaces(line, at + keyword.size());
  for (std::string_view modifier : {"public", "weak"}) {  // `import public "x.proto";`
    if (!allow_angled && line.substr(at).starts_with(modifier)) {
      at = SkipSpaces(line, at + modifier.size());
    }
  }
  if (at >= line.size()) return false;
  char open = line[at];
  if (open != '"' && !(allow_angled && open == '<')) return false;
  size_t close = line.find(open == '<' ? '>' : '"', at + 1);
  if (close == std::string_view::npos) return false;
  include->target = std::string(line.substr(at + 1, close - at - 1));
  include->angled = open == '<';
  return true;
}

}  // namespace

std::vector<Include> ExtractIncludes(std::string_view content, bool is_proto) {
  std::vector<Include> includes;
  int line_number = 0;
  while (!content.empty()) {
    size_t end = content.find('\n');
    std::string_view line = content.substr(0, end);
    content = end == std::string_view::npos ? std::string_view() : content.substr(end + 1);
    ++line_number;

    Include include;
    include.line = line_number;
    size_t hash = SkipSpaces(line, 0);
    bool found = hash < line.size() && line[hash] == '#' &&
                 ParseDirective(line.substr(hash + 1), "include", true, &include);
    if (!found && is_proto) found = ParseDirective(line, "import", false, &include);
    if (found) includes.push_back(std::move(include));
  }
  return includes;
}

std::string Describe(const Violation& violation) {
  return violation.file + ":" + std::to_string(violation.line) + ": " + violation.what + ": " +
         violation.why;
}

std::string_view ModuleOf(std::string_view relative_path) {
  size_t slash = relative_path.find('/');
  if (slash == std::string_view::npos) return {};
  std::string_view first = relative_path.substr(0, slash);
  return RuleFor(first) != nullptr ? first : std::string_view();
}

std::vector<Violation> CheckFile(std::string_view relative_path, std::string_view content) {
  std::vector<Violation> violations;
  const ModuleRule* rule = RuleFor(ModuleOf(relative_path));
  if (rule == nullptr) return violations;  // outside the modules: exempt
  bool is_proto = relative_path.ends_with(".proto");
  for (const Include& include : ExtractIncludes(content, is_proto)) {
    std::string why = Judge(*rule, include);
    if (why.empty()) why = JudgeRoom(relative_path, include);
    if (why.empty()) continue;
    std::string delimited =
        include.angled ? "<" + include.target + ">" : "\"" + include.target + "\"";
    violations.push_back({std::string(relative_path), include.line,
                          (is_proto ? "import " : "#include ") + delimited, why});
  }
  if (is_proto) return violations;
  for (const NamespaceUse& use : ExtractNamespaceUses(content)) {
    if (use.name == rule->module || Contains(rule->may_include, use.name)) continue;
    violations.push_back({std::string(relative_path), use.line, use.name + "::",
                          std::string(rule->module) + " may not use " + use.name +
                              "'s types or functions (it may use " +
                              JoinOrNothing(rule->may_include) + ")"});
  }
  return violations;
}

TreeReport CheckTree(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  TreeReport report;
  for (const ModuleRule& rule : ModuleRules()) {
    fs::path folder = root / rule.module;
    if (!fs::is_directory(folder)) continue;
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(folder)) {
      std::string extension = entry.path().extension().string();
      if (!entry.is_regular_file()) continue;
      if (extension != ".h" && extension != ".cc" && extension != ".proto" && extension != ".hpp" &&
          extension != ".cpp") {
        continue;
      }
      std::string relative = entry.path().lexically_relative(root).generic_string();
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream content;
      content << in.rdbuf();
      report.files.push_back(relative);
      for (Violation& violation : CheckFile(relative, content.str())) {
        report.violations.push_back(std::move(violation));
      }
    }
  }
  std::sort(report.files.begin(), report.files.end());
  return report;
}

}  // namespace attune::layering
