// What the sharing commands say: the delivery states of `shared`, what `share`, `unshare --all`,
// `respond` and `unpair` say once done, and whose an entry is in `show` and `list`. The end-to-end
// tests check the same outcomes through --json; the sentences are checked here.
#include "cli/sharing_messages.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/format.h"
#include "cli/sharing.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using testing::Says;

constexpr const char* kId = "0123456789abcdef0123456789abcdef";

node::Entry OwnSharedNeed() {
  node::Entry entry;
  entry.id = kId;
  entry.kind = "need";
  entry.step = 5;
  entry.text = "quiet mornings";
  entry.visibility = node::Visibility::kShared;
  return entry;
}

TEST(DeliveryStateTest, JsonNamesAreStableAndTheTextSaysWhatEachMeans) {
  EXPECT_STREQ(DeliveryStateName(node::DeliveryState::kWaiting), "waiting");
  EXPECT_STREQ(DeliveryStateName(node::DeliveryState::kDelivered), "delivered");
  EXPECT_STREQ(DeliveryStateName(node::DeliveryState::kWithdrawing), "withdrawing");
  EXPECT_STREQ(DeliveryStateName(node::DeliveryState::kWithdrawn), "withdrawn");
  EXPECT_STREQ(DeliveryStateText(node::DeliveryState::kWaiting), "waiting (not yet delivered)");
  EXPECT_STREQ(DeliveryStateText(node::DeliveryState::kWithdrawn),
               "withdrawn (removed on partner's node)");
  EXPECT_TRUE(Says(DeliveryStateText(node::DeliveryState::kWithdrawing), "withdrawing"));
}

TEST(SharedListTextTest, EachItemHasItsLineAndItsState) {
  const std::vector<node::SharedItem> items = {
      {.entry_id = kId, .state = node::DeliveryState::kWaiting, .entry = OwnSharedNeed()},
      {.entry_id = "fedcba9876543210fedcba9876543210",
       .state = node::DeliveryState::kWithdrawing,
       .entry = std::nullopt},
      {.entry_id = kId,
       .state = node::DeliveryState::kWithdrawn,
       .entry = OwnSharedNeed(),
       .awaiting_confirmation = true,
       .damaged = true}};
  const std::string text = SharedListText(items, {});
  EXPECT_TRUE(Says(text, "quiet mornings")) << text;
  EXPECT_TRUE(Says(text, "waiting (not yet delivered)")) << text;
  EXPECT_TRUE(Says(text, "fedcba98  (deleted from your journal)")) << text;
  EXPECT_TRUE(Says(text, "withdrawing")) << text;
  EXPECT_TRUE(Says(text, "withdrawn (removed on partner's node)")) << text;
  EXPECT_TRUE(Says(text, "`attune share 01234567`")) << text;
  EXPECT_TRUE(Says(text, "failed its integrity check")) << text;
  EXPECT_TRUE(Says(SharedListText({}, {}), "You have not shared anything"));
}

TEST(ShareDoneTextTest, SaysWhetherAnythingWasSent) {
  EXPECT_TRUE(Says(ShareDoneText(true, true, kId, true), "Already shared"))
      << "nothing asked or sent";
  const std::string first = ShareDoneText(false, false, kId, true);
  EXPECT_EQ(first.rfind("Shared.", 0), 0u) << first;
  EXPECT_TRUE(Says(first, "at the next sync")) << first;
  EXPECT_TRUE(Says(first, "`attune unshare 01234567`")) << first;
  EXPECT_TRUE(Says(ShareDoneText(false, true, kId, true), "The new version is shared."));
}

TEST(ShareDoneTextTest, BeforePairingSaysThereIsNoPartnerYetAndHowToPair) {
  const std::string unpaired = ShareDoneText(false, false, kId, false);
  EXPECT_FALSE(Says(unpaired, "next sync")) << unpaired;
  EXPECT_TRUE(Says(unpaired, ShareWaitsForPairingText())) << unpaired;
  EXPECT_TRUE(Says(unpaired, "`attune pair`")) << unpaired;
  EXPECT_TRUE(Says(unpaired, "`attune unshare 01234567`")) << unpaired;
}

TEST(UnshareAllTextTest, CountsWhatWasWithdrawn) {
  EXPECT_TRUE(Says(UnshareAllText(3), "Withdrawn: 3 entries.")) << UnshareAllText(3);
  EXPECT_TRUE(Says(UnshareAllText(1), "Withdrawn: 1 entry.")) << UnshareAllText(1);
}

TEST(ResponseSharedTextTest, GivesTheIdThenSaysWhoGetsIt) {
  const std::string text = ResponseSharedText(kId, "Alex");
  EXPECT_EQ(text.rfind(std::string(kId) + "\n", 0), 0u) << text;
  EXPECT_TRUE(Says(text, "shared with Alex")) << text;
}

TEST(UnpairedTextTest, CountsWhatIsPrivateAgainAndSaysWhatBecameOfTheirs) {
  const std::string kept = UnpairedText(1, /*kept=*/true, "Alex");
  EXPECT_TRUE(Says(kept, "1 entry you had shared is private again")) << kept;
  EXPECT_TRUE(Says(kept, "What Alex shared stays, read-only")) << kept;
  const std::string deleted = UnpairedText(2, /*kept=*/false, "Alex");
  EXPECT_TRUE(Says(deleted, "2 entries you had shared are private again")) << deleted;
  EXPECT_TRUE(Says(deleted, "What Alex shared is deleted")) << deleted;
  EXPECT_FALSE(Says(UnpairedText(0, true, "Alex"), "private again"));
}

TEST(ProvenanceTest, SaysWhoseAnEntryIs) {
  node::Entry entry = OwnSharedNeed();
  EXPECT_EQ(Provenance(entry), "shared with your partner");
  entry.visibility = node::Visibility::kPrivate;
  EXPECT_EQ(Provenance(entry), "private");
  entry.author = node::Author::kPartner;
  EXPECT_EQ(Provenance(entry), "shared with you by your partner (read-only)");
  entry.author = node::Author::kFormer;
  EXPECT_TRUE(Says(Provenance(entry), "former partner")) << Provenance(entry);
  EXPECT_TRUE(Says(EntryDetail(entry, {}), Provenance(entry))) << "show says it";
}

TEST(EntryLineTest, MarksOnlyOnesOwnSharedEntriesAsShared) {
  node::Entry entry = OwnSharedNeed();
  EXPECT_TRUE(Says(EntryLine(entry, {}), "[shared]")) << EntryLine(entry, {});
  entry.visibility = node::Visibility::kPrivate;
  EXPECT_FALSE(Says(EntryLine(entry, {}), "[shared]")) << EntryLine(entry, {});
  entry.author = node::Author::kPartner;
  entry.visibility = node::Visibility::kShared;
  EXPECT_FALSE(Says(EntryLine(entry, {}), "[shared]")) << "the mark is for one's own entries";
}

TEST(SharePreviewTextTest, AStyleResultsAnswersStayHomeUnlessChosen) {
  node::SharePreview preview;
  preview.view.id = "0123456789abcdef0123456789abcdef";
  preview.view.kind = "style";
  preview.view.text = "mostly secure";
  preview.answers_withheld = true;
  const std::string withheld = SharePreviewText(preview);
  EXPECT_TRUE(Says(withheld, "quiz items stay private")) << withheld;
  EXPECT_TRUE(Says(withheld, "`attune share 01234567 --with-answers`")) << withheld;
  preview.answers_withheld = false;
  preview.answers_included = true;
  EXPECT_FALSE(Says(SharePreviewText(preview), "--with-answers")) << SharePreviewText(preview);
}

}  // namespace
}  // namespace attune::cli
