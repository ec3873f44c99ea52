#include "tests/node/node_test_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "crypto/sodium.h"

namespace attune::node::testing {
namespace {

// The crypto module's contract: Init() before anything else. gtest_main provides main(), so
// registering here (a source of the binary) runs it before every test.
class SodiumEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    Status status = crypto::Init();
    ASSERT_TRUE(status.ok()) << status.detail();
  }
};

const ::testing::Environment* const kSodiumEnvironment =
    ::testing::AddGlobalTestEnvironment(new SodiumEnvironment);

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/attune_node_test_XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  // Tests loosen or tighten modes; make sure removal can descend everywhere.
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::add, ignored);
  std::filesystem::remove_all(path_, ignored);
}

Bytes ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool FileExists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

int FileMode(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return -1;
  return static_cast<int>(info.st_mode & 0777);
}

bool BytesContain(const Bytes& haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

CountingPassphrase::CountingPassphrase(std::string text) : passphrase(std::move(text)) {}

PassphraseSource CountingPassphrase::source() {
  return [text = passphrase, counter = calls]() -> Result<Secret> {
    ++*counter;
    return Secret::CopyOf(AsBytes(text));
  };
}

PassphraseSource MustNotAsk() {
  return []() -> Result<Secret> {
    ADD_FAILURE() << "the passphrase source was called";
    return Status::NeedsPassphrase("test source must not be asked");
  };
}

PassphraseSource NoPassphraseAvailable() {
  return []() -> Result<Secret> { return Status::NeedsPassphrase("no terminal in this test"); };
}

std::string CodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "kOk";
    case StatusCode::kInvalidArgument:
      return "kInvalidArgument";
    case StatusCode::kNotFound:
      return "kNotFound";
    case StatusCode::kAmbiguous:
      return "kAmbiguous";
    case StatusCode::kAlreadyExists:
      return "kAlreadyExists";
    case StatusCode::kNotInitialized:
      return "kNotInitialized";
    case StatusCode::kWrongPassphrase:
      return "kWrongPassphrase";
    case StatusCode::kNeedsPassphrase:
      return "kNeedsPassphrase";
    case StatusCode::kAuthFailed:
      return "kAuthFailed";
    case StatusCode::kCorruption:
      return "kCorruption";
    case StatusCode::kUnsupported:
      return "kUnsupported";
    case StatusCode::kBusy:
      return "kBusy";
    case StatusCode::kIoError:
      return "kIoError";
    case StatusCode::kCancelled:
      return "kCancelled";
    case StatusCode::kInternal:
      return "kInternal";
  }
  return "unknown code " + std::to_string(static_cast<int>(code));
}

std::string Describe(const Status& status) {
  return CodeName(status.code()) + ": " + status.detail();
}

::testing::AssertionResult SameEntry(const Entry& expected, const Entry& actual) {
  const nlohmann::json want = EntryToJson(expected);
  const nlohmann::json got = EntryToJson(actual);
  if (want != got) {
    return ::testing::AssertionFailure()
           << "expected " << want.dump() << "\n     got " << got.dump();
  }
  // The JSON form shows times to the millisecond with their offsets; compare the raw values too.
  if (expected.created.utc_ms != actual.created.utc_ms ||
      expected.created.offset_min != actual.created.offset_min ||
      expected.updated.utc_ms != actual.updated.utc_ms ||
      expected.updated.offset_min != actual.updated.offset_min) {
    return ::testing::AssertionFailure() << "times differ for entry " << expected.id;
  }
  return ::testing::AssertionSuccess();
}

NewEntry Draft(std::string kind, std::string text, std::vector<std::string> tags,
               nlohmann::json fields, std::vector<std::string> links) {
  NewEntry draft;
  draft.kind = std::move(kind);
  draft.text = std::move(text);
  draft.tags = std::move(tags);
  draft.fields = std::move(fields);
  draft.links = std::move(links);
  return draft;
}

ListFilter KindFilter(std::string kind) {
  ListFilter filter;
  filter.kind = std::move(kind);
  return filter;
}

InitOptions FastOptions(bool no_passphrase, std::string name) {
  InitOptions options;
  options.name = std::move(name);
  options.no_passphrase = no_passphrase;
  options.kdf_strength = KdfStrength::kInteractive;
  return options;
}

void JournalTest::InitJournal() {
  Result<Journal> made = Journal::Init(home_, FastOptions(true), MustNotAsk(), clock_);
  ASSERT_TRUE(made.ok()) << Describe(made.status());
  journal_.emplace(std::move(made).value());
}

Result<Entry> JournalTest::AddEntry(std::string kind, std::string text,
                                    std::vector<std::string> tags) {
  return journal_->Add(Draft(std::move(kind), std::move(text), std::move(tags)));
}

}  // namespace attune::node::testing
