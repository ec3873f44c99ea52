#include "tests/node/node_test_util.h"

#include "crypto/sodium.h"
#include "node/style_result.h"

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
    return Status::Internal("test source must not be asked");
  };
}

PassphraseSource NoPassphraseAvailable() {
  return []() -> Result<Secret> { return Status::Cancelled("no terminal in this test"); };
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
  // A response must name what it answers; tests that do not care get a placeholder.
  if (draft.kind == "response" && draft.fields.is_object() &&
      !draft.fields.contains("responds_to")) {
    draft.fields["responds_to"] = std::string(32, 'e');
  }
  // A style entry is a quiz result; tests that do not care get the scores of a middle blend.
  if (draft.kind == "style" && draft.fields.is_object() && !draft.fields.contains("anxiety")) {
    draft.fields.update(QuizScoreToJson(steps::BlendFromScores(4.0, 4.0)));
  }
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

Result<Entry> JournalTest::AddShared(std::string kind, std::string text) {
  NewEntry draft = Draft(std::move(kind), std::move(text));
  draft.share = true;
  return journal_->Add(std::move(draft));
}

}  // namespace attune::node::testing
