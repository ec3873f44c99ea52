#include "tests/e2e/e2e_fixture.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>

namespace attune::e2e {
namespace {

// How attune's notes begin on standard error (cli/app.cc).
constexpr std::string_view kNotePrefix = "attune: note: ";

std::string Quoted(const std::vector<std::string>& args) {
  std::string line = "attune";
  for (const std::string& arg : args) line += " '" + arg + "'";
  return line;
}

void ExpectRan(const RunResult& result, const std::vector<std::string>& args) {
  EXPECT_FALSE(result.timed_out) << Quoted(args) << " timed out\n" << result;
  EXPECT_TRUE(result.failure.empty()) << Quoted(args) << ": " << result.failure;
}

}  // namespace

void PrintTo(const RunResult& result, std::ostream* out) {
  *out << result;
}

std::ostream& operator<<(std::ostream& out, const RunResult& result) {
  out << "exit " << result.exit_code;
  if (result.signal != 0) out << " (signal " << result.signal << ")";
  if (result.timed_out) out << " (timed out)";
  return out << "\n--- stdout ---\n" << result.out << "\n--- stderr ---\n" << result.err << "\n";
}

std::string FailureField(const RunResult& result, const char* field) {
  std::string out = result.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  const size_t line = out.rfind('\n');
  const nlohmann::json last = nlohmann::json::parse(
      line == std::string::npos ? out : out.substr(line + 1), nullptr, /*allow_exceptions=*/false);
  if (!last.is_object() || !last.contains("error") || !last["error"].contains(field)) return "";
  return last["error"][field].get<std::string>();
}

std::string FailureReason(const RunResult& result) {
  return FailureField(result, "reason");
}

std::string FailureCode(const RunResult& result) {
  return FailureField(result, "code");
}

std::vector<std::string> Sorted(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

nlohmann::json ParseJson(const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    ADD_FAILURE() << "not JSON:\n" << text;
    return nullptr;
  }
  return parsed;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::optional<uint64_t> EnvNumber(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  char* end = nullptr;
  const unsigned long long number = std::strtoull(value, &end, 10);
  if (*end != '\0') {
    ADD_FAILURE() << name << " must be a whole number, not '" << value << "'";
    return std::nullopt;
  }
  return number;
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

bool PathExists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

std::string FaketimeLibrary() {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib", error)) {
    const std::filesystem::path candidate = entry.path() / "faketime" / "libfaketimeMT.so.1";
    if (std::filesystem::exists(candidate, error)) return candidate.string();
  }
  return "";
}

void MoveClock(Environment& env, const std::string& library, const std::string& offset) {
  env["LD_PRELOAD"] = library;
  env["FAKETIME"] = offset;
  env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1";
  // An ASan build of attune insists on coming first in the library list; the preloaded
  // library is harmless to it.
  std::string& asan = env["ASAN_OPTIONS"];
  asan += std::string(asan.empty() ? "" : ":") + "verify_asan_link_order=0";
}

std::string TrimmedLine(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \r\n\t");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \r\n\t");
  return text.substr(begin, end - begin + 1);
}

std::string WithoutNotes(const std::string& err) {
  std::istringstream lines(err);
  std::string kept;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with(kNotePrefix)) kept += line + "\n";
  }
  return kept;
}

int NoteLines(const std::string& err) {
  std::istringstream lines(err);
  int notes = 0;
  for (std::string line; std::getline(lines, line);) notes += line.starts_with(kNotePrefix);
  return notes;
}

std::string QuizAnswers(int answer) {
  std::string lines;
  for (int i = 0; i < 18; ++i) lines += std::to_string(answer) + "\n";
  return lines;
}

nlohmann::json ExportedEntry(const std::string& id, const std::string& kind,
                             const std::string& text, const std::string& created) {
  return {{"id", id},
          {"kind", kind},
          {"text", text},
          {"fields", nlohmann::json::object()},
          {"tags", nlohmann::json::array()},
          {"links", nlohmann::json::array()},
          {"created", created},
          {"updated", created},
          {"visibility", "private"},
          {"author", "me"}};
}

std::string ExportDocument(const std::vector<nlohmann::json>& entries) {
  const nlohmann::json document = {{"format", "attune-export"},
                                   {"version", 1},
                                   {"name", "Sam"},
                                   {"exported", "2026-01-01T00:00:00.000+00:00"},
                                   {"entries", entries}};
  return document.dump(2);
}

std::string SharedNeedsExport(int count, const std::string& id_prefix,
                              const std::function<std::string(int)>& text,
                              std::vector<std::string>& ids) {
  std::vector<nlohmann::json> entries;
  for (int i = 0; i < count; ++i) {
    char number[31];
    std::snprintf(number, sizeof number, "%030d", i);
    char created[40];
    std::snprintf(created, sizeof created, "2026-01-01T%02d:%02d:%02d.000+00:00", i / 3600,
                  i / 60 % 60, i % 60);
    const std::string id = id_prefix + number;
    nlohmann::json entry = ExportedEntry(id, "need", text(i), created);
    entry["visibility"] = "shared";
    entries.push_back(std::move(entry));
    ids.push_back(id);
  }
  return ExportDocument(entries);
}

void AttuneTest::SetUp() {
  std::string pattern = std::filesystem::temp_directory_path().string() + "/attune-e2e-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  root_ = pattern;
  std::filesystem::create_directory(PathIn("user"));
  std::filesystem::create_directory(PathIn("tmp"));
  ASSERT_EQ(::mkdir(runtime_dir().c_str(), 0700), 0);
  env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"},
         {"HOME", PathIn("user")},
         {"ATTUNE_HOME", home()},
         {"TMPDIR", PathIn("tmp")},
         {"XDG_RUNTIME_DIR", runtime_dir()},
         {"NO_COLOR", "1"}};
  // Sanitizer settings are the test runner's, not attune's: pass them on so an ASan build of
  // the binary reports the same way the test binary does.
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* value = std::getenv(name)) env[name] = value;
  }
}

void AttuneTest::TearDown() {
  if (root_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);
}

RunResult AttuneTest::Run(const std::vector<std::string>& args, const std::string& stdin_text) {
  RunResult result = RunProcess({ATTUNE_BINARY, args, env, stdin_text, kDefaultTimeout});
  ExpectRan(result, args);
  return result;
}

RunResult AttuneTest::RunOnTty(const std::vector<std::string>& args,
                               const std::vector<TerminalTurn>& turns) {
  RunResult result = RunOnTerminal({ATTUNE_BINARY, args, env, "", kDefaultTimeout}, turns);
  ExpectRan(result, args);
  return result;
}

void AttuneTest::InitJournal() {
  const RunResult result = Run({"init", "--name", "Sam", "--no-passphrase"});
  ASSERT_EQ(result.exit_code, kExitOk) << result;
}

std::string AttuneTest::Add(const std::string& kind, const std::string& text,
                            const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"add", kind, text};
  args.insert(args.end(), extra.begin(), extra.end());
  const RunResult result = Run(args);
  EXPECT_EQ(result.exit_code, kExitOk) << result;
  const std::string id = TrimmedLine(result.out);
  EXPECT_EQ(id.size(), 32u) << result;
  return result.exit_code == kExitOk ? id : "";
}

nlohmann::json AttuneTest::ShowJson(const std::string& id) {
  const RunResult result = Run({"show", id, "--json"});
  EXPECT_EQ(result.exit_code, kExitOk) << result;
  return ParseJson(result.out);
}

nlohmann::json AttuneTest::ListJson(const std::vector<std::string>& filters) {
  std::vector<std::string> args = {"list"};
  args.insert(args.end(), filters.begin(), filters.end());
  args.push_back("--json");
  const RunResult result = Run(args);
  EXPECT_EQ(result.exit_code, kExitOk) << result;
  return ParseJson(result.out);
}

}  // namespace attune::e2e
