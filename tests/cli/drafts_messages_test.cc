// What attune says about the editor's drafts: the note after wiping one left behind, and why the
// editor will not open without a private place in memory. tests/e2e/drafts_test.cc checks the
// same by exit code, files and how many notes a command gives.
#include <gtest/gtest.h>

#include <string>

#include "cli/drafts.h"
#include "cli/editor.h"
#include "cli/exit_codes.h"
#include "cli/messages.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using testing::Says;

TEST(DraftsMessagesTest, AWipedDraftIsCountedAndSaidToBeLost) {
  EXPECT_EQ(WipedDraftsNote(1).rfind("wiped an editor draft left behind", 0), 0u)
      << WipedDraftsNote(1);
  EXPECT_EQ(WipedDraftsNote(2).rfind("wiped 2 editor drafts", 0), 0u) << WipedDraftsNote(2);
  EXPECT_TRUE(Says(WipedDraftsNote(1), "was not saved"));
}

TEST(DraftsMessagesTest, NoPrivatePlaceSaysHowToGiveTheTextInstead) {
  const Status refused = NoPrivatePlace("/run/user/1/attune is not a private folder");
  const std::string said = Explain(refused);
  EXPECT_TRUE(Says(said, "will not open the editor: /run/user/1/attune is not a private folder"))
      << said;
  EXPECT_TRUE(Says(said, "standard input")) << said;
  EXPECT_TRUE(Says(said, "XDG_RUNTIME_DIR")) << said;
  EXPECT_EQ(ExitCodeFor(refused), kExitIo);
}

TEST(DraftsMessagesTest, AFailedEditorSavesNothingAndSaysSo) {
  const Status failed = EditorDidNotFinish();
  EXPECT_TRUE(Says(Explain(failed), "the editor did not finish cleanly; nothing was saved"))
      << Explain(failed);
  EXPECT_EQ(ExitCodeFor(failed), kExitCancelled);
}

}  // namespace
}  // namespace attune::cli
