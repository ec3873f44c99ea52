// What `rm`, `restore` and `trash` say, and the sentences for the trash's typed reasons. The
// end-to-end tests check the same outcomes through --json and exit codes; the words are here.
#include "cli/trash_messages.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/exit_codes.h"
#include "cli/messages.h"
#include "cli/ui_messages.h"
#include "node/journal_reason.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using testing::Says;

constexpr const char* kTrashId = "0123456789abcdef0123456789abcdef";

TEST(TrashMessagesTest, RmSaysWhenTheEntryGoesForGoodAndHowToBringItBack) {
  const std::string private_one = MovedToTrashText("01234567", "2026-02-01 10:00", "");
  EXPECT_TRUE(Says(private_one, "Moved to the trash")) << private_one;
  EXPECT_TRUE(Says(private_one, "deleted for good on 2026-02-01 10:00")) << private_one;
  EXPECT_TRUE(Says(private_one, "`attune restore 01234567`")) << private_one;
  EXPECT_FALSE(Says(private_one, "withdrawn")) << private_one;
  const std::string shared = MovedToTrashText("01234567", "2026-02-01 10:00", "Alex");
  EXPECT_TRUE(Says(shared, "withdrawn from Alex: their copy goes at the next sync")) << shared;
}

TEST(TrashMessagesTest, RestoreSaysTheEntryIsPrivateAndHowToShareItAgain) {
  const std::string said = RestoredText("01234567", /*paired=*/true);
  EXPECT_TRUE(Says(said, "private")) << said;
  EXPECT_TRUE(Says(said, "not shared again by itself")) << said;
  EXPECT_TRUE(Says(said, "`attune share 01234567`")) << said;
}

TEST(TrashMessagesTest, TheListingSaysWhenEachWentAndGoes) {
  EXPECT_EQ(TrashListText({}, {}, 80), "The trash is empty.\n");
  node::Entry entry;
  entry.id = kTrashId;
  entry.kind = "note";
  entry.text = "words";
  entry.trashed = node::Timestamp{1767225600123, 0};
  const std::string said = TrashListText({entry}, {{kTrashId, "012345"}}, 80);
  EXPECT_TRUE(Says(said, "012345")) << said;
  EXPECT_TRUE(Says(said, "in the trash since " + LocalTime(*entry.trashed))) << said;
  EXPECT_TRUE(Says(said, "deleted for good on " + LocalTime(node::TrashEmptiesAt(*entry.trashed))))
      << said;
  EXPECT_TRUE(Says(said, "`attune trash --empty`")) << said;
  EXPECT_EQ(EmptyTrashQuestion(1), "Delete the entry in the trash for good?");
  EXPECT_EQ(EmptyTrashQuestion(3), "Delete the 3 entries in the trash for good?");
  EXPECT_EQ(EmptiedTrashText(2), "Deleted for good: 2 entries. The trash is empty.\n");
}

TEST(TrashMessagesTest, AnEntryInTheTrashSaysHowToRestoreItWithItsOwnExitAndName) {
  const Status in_trash = Status::NotFound(kTrashId).WithReason(node::JournalReason::kInTrash);
  const std::string said = Explain(in_trash);
  EXPECT_TRUE(Says(said, "is in the trash")) << said;
  EXPECT_TRUE(Says(said, "`attune restore 01234567`")) << said;
  EXPECT_EQ(ExitCodeFor(in_trash), kExitNotFound);
  EXPECT_EQ(ReasonName(in_trash), "in_trash");
  EXPECT_TRUE(Says(ExplainOnPage(in_trash), "In a terminal, `attune restore 01234567`"));

  const Status outside =
      Status::InvalidArgument(kTrashId).WithReason(node::JournalReason::kNotInTrash);
  EXPECT_TRUE(Says(Explain(outside), "not in the trash")) << Explain(outside);
  EXPECT_EQ(ExitCodeFor(outside), kExitUsage);
  EXPECT_EQ(ReasonName(outside), "not_in_trash");
}

}  // namespace
}  // namespace attune::cli
