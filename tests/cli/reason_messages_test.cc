// The sentences cli writes for node's typed reasons that name commands and flags: node says
// what happened (a code, a reason, facts), and only cli says which command or flag helps.
#include <gtest/gtest.h>

#include <string>

#include "cli/exit_codes.h"
#include "cli/messages.h"
#include "node/bundle.h"
#include "node/journal.h"
#include "node/journal_reason.h"
#include "node/link.h"
#include "node/private_file.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using testing::Says;

TEST(ReasonMessagesTest, NotPairedSaysHowToPair) {
  EXPECT_EQ(Explain(Status::NotFound("no partner").WithReason(node::JournalReason::kNotPaired)),
            "you are not paired with anyone yet; start with `attune pair`.");
}

TEST(ReasonMessagesTest, NotABoundarySaysWhatRestateIsFor) {
  const Status refused =
      Status::InvalidArgument("not a boundary").WithReason(node::JournalReason::kNotABoundary);
  const std::string said = Explain(refused);
  EXPECT_TRUE(Says(said, "not a boundary")) << said;
  EXPECT_TRUE(Says(said, "`attune list --kind boundary`")) << said;
  EXPECT_EQ(ExitCodeFor(refused), kExitUsage);
  EXPECT_EQ(ReasonName(refused), "not_a_boundary");
}

TEST(ReasonMessagesTest, ADamagedOutgoingLogSaysHowToStartItOver) {
  const Status damaged = Status::Corruption(std::string(node::kOutgoingLogName))
                             .WithReason(node::JournalReason::kRecordDamaged);
  const std::string said = Explain(damaged);
  EXPECT_TRUE(Says(said, "the outgoing log")) << said;
  EXPECT_TRUE(Says(said, "Nothing was sent")) << said;
  EXPECT_TRUE(Says(said, "`attune unshare --all`")) << said;
  EXPECT_EQ(ReasonName(damaged), "record_damaged");
}

TEST(ReasonMessagesTest, AlreadyPairedNamesThePartnerWhenKnownAndHowToPairAnew) {
  const std::string named =
      Explain(Status::AlreadyExists("Sam").WithReason(node::PairingReason::kAlreadyPaired));
  EXPECT_TRUE(Says(named, "you are already paired with Sam; `attune unpair` first")) << named;
  const std::string unnamed =
      Explain(Status::AlreadyExists("").WithReason(node::PairingReason::kAlreadyPaired));
  EXPECT_TRUE(Says(unnamed, "you are already paired; `attune unpair` first")) << unnamed;
}

TEST(ReasonMessagesTest, ASearchThatFoundNobodyCountsTheAddressesHeardAndSaysWhatToCheck) {
  const Status nobody =
      Status::Unreachable("10.0.0.2:47017\nrefused").WithReason(node::LinkReason::kPartnerNotFound);
  EXPECT_EQ(Explain(nobody),
            "could not find your partner's attune on this network; check that their `attune "
            "serve` is running and that you are on the same network, or use --to HOST:PORT "
            "(10.0.0.2:47017, the address attune last knew for them, said: refused).");
  const Status two = Status::Unreachable("10.0.0.2:47017\nrefused\ntimed out\nclosed")
                         .WithReason(node::LinkReason::kPartnerNotFound);
  const std::string said = Explain(two);
  EXPECT_TRUE(Says(said, "(2 addresses heard, none of them your partner's attune: closed)"))
      << said;
  EXPECT_EQ(ExitCodeFor(two), ExitCodeFor(Status::Unreachable("x")));
}

TEST(ReasonMessagesTest, PairingWithoutAnInvitationOrAnAddressSaysWhatToDo) {
  const std::string unheard =
      Explain(Status::Unreachable("").WithReason(node::PairingReason::kInvitationNotFound));
  EXPECT_TRUE(Says(unheard, "could not find your partner's invitation on this network")) << unheard;
  EXPECT_TRUE(Says(unheard, "or use --to with the address it shows")) << unheard;
  // One piece of advice, about pairing: not serve's, and --to said once.
  EXPECT_FALSE(Says(unheard, "attune serve")) << unheard;
  EXPECT_EQ(unheard.find("--to"), unheard.rfind("--to")) << unheard;
  const std::string no_address =
      Explain(Status::InvalidArgument("").WithReason(node::PairingReason::kNeedsInviterAddress));
  EXPECT_TRUE(Says(no_address, "add --to ADDRESS")) << no_address;
  const std::string typo = Explain(
      Status::InvalidArgument("checksum").WithReason(node::PairingReason::kNotAnOnionAddress));
  EXPECT_TRUE(Says(typo, "not an onion address (checksum)")) << typo;
  EXPECT_TRUE(Says(typo, "ending in .onion")) << typo;
  const std::string no_tor =
      Explain(Status::InvalidArgument("").WithReason(node::PairingReason::kOnionAddressNeedsTor));
  EXPECT_TRUE(Says(no_tor, "only be reached through Tor")) << no_tor;
  const std::string port =
      Explain(Status::InvalidArgument("127.0.0.1:47017").WithReason(node::LinkReason::kPortInUse));
  EXPECT_TRUE(Says(port, "cannot listen on 127.0.0.1:47017: another program")) << port;
  EXPECT_TRUE(Says(port, "choose another with --listen HOST:PORT")) << port;
}

TEST(ReasonMessagesTest, JournalReasonsNameTheCommandThatHelps) {
  using node::JournalReason;
  const auto said = [](JournalReason reason) {
    return Explain(Status::InvalidArgument("fact").WithReason(reason));
  };
  EXPECT_TRUE(Says(said(JournalReason::kMalformedId), "as `attune list` shows them"));
  EXPECT_TRUE(Says(said(JournalReason::kRespondToOwnEntry), "`attune list --partner` shows it"));
  EXPECT_EQ(said(JournalReason::kUnknownAck), "--ack is one of: heard, will-try, lets-talk.");
  EXPECT_TRUE(Says(said(JournalReason::kResponseWithoutTarget), "`attune respond ID TEXT"));
  EXPECT_TRUE(Says(said(JournalReason::kNotOwnEntry), "it is theirs to change"));
  EXPECT_TRUE(Says(said(JournalReason::kImportNotJson), "`attune export --format json`"));
  EXPECT_EQ(said(JournalReason::kNoHomeDirectory),
            "no home directory: set --home, ATTUNE_HOME or HOME.");
}

TEST(ReasonMessagesTest, ARewordedStatusIsSaidAsItIsAndKeepsItsExitCode) {
  const Status worded = Reworded(Status::NotFound("/tmp/x"), "there is no file at /tmp/x");
  EXPECT_TRUE(worded.Is(CliReason::kWorded));
  EXPECT_EQ(Explain(worded), "there is no file at /tmp/x.");
  EXPECT_EQ(ExitCodeFor(worded), ExitCodeFor(Status::NotFound("x")));
}

TEST(ReasonMessagesTest, APermissionWarningNamesThePathItsModeAndTheChmodToCopy) {
  EXPECT_EQ(PermissionWarning({"/home/robin/.local/share/attune", true, 0755, 0700}),
            "the home /home/robin/.local/share/attune is open to other users (mode 755); run: "
            "chmod 700 /home/robin/.local/share/attune");
  EXPECT_EQ(PermissionWarning({"/h/journal.db", false, 0644, 0600}),
            "the file /h/journal.db is open to other users (mode 644); run: chmod 600 "
            "/h/journal.db");
}

TEST(ReasonMessagesTest, APermissionWarningQuotesAPathForTheShell) {
  const std::string said = PermissionWarning({"/tmp/Robin's journal", true, 0750, 0700});
  EXPECT_TRUE(Says(said, "chmod 700 '/tmp/Robin'\\''s journal'")) << said;
}

TEST(ReasonMessagesTest, AFailureAsJsonCarriesItsExitCodeReasonNameAndSentence) {
  const Status nobody = Status::Unreachable("").WithReason(node::LinkReason::kPartnerNotFound);
  const nlohmann::json error = ErrorJson(nobody)["error"];
  EXPECT_EQ(error["exit"], kExitUnreachable);
  EXPECT_EQ(error["code"], "unreachable");
  EXPECT_EQ(error["reason"], "link_partner_not_found");
  EXPECT_EQ(error["message"], Explain(nobody));
  EXPECT_FALSE(ErrorJson(Status::Busy("locked"))["error"].contains("reason"));
  EXPECT_EQ(ErrorJson(Status::Unsupported("schema 99"))["error"]["code"], "unsupported");
  EXPECT_FALSE(ErrorJson(Reworded(Status::NotFound("f"), "gone"))["error"].contains("reason"));
}

TEST(ReasonMessagesTest, AnAttuneThatWentAwayIsToBeTriedAgainNotAStranger) {
  const Status gone = Status::Unreachable("the attune at 127.0.0.1:7000 went away")
                          .WithReason(node::LinkReason::kConnectionReset);
  const nlohmann::json error = ErrorJson(gone)["error"];
  EXPECT_EQ(error["exit"], kExitUnreachable);
  EXPECT_EQ(error["reason"], "link_connection_reset");
  const std::string said = Explain(gone);
  EXPECT_TRUE(Says(said, "stopped or restarted")) << said;
  EXPECT_TRUE(Says(said, "try again")) << said;
  EXPECT_FALSE(Says(said, "not your partner")) << said;
}

TEST(ReasonMessagesTest, AFileThatCannotBeOpenedIsAboutTheFileNotAnEntry) {
  const Status missing =
      Status::NotFound("/tmp/missing.json").WithReason(CliReason::kCannotOpenFile);
  const std::string said = Explain(missing);
  EXPECT_EQ(said.rfind("cannot open /tmp/missing.json; check its name, its folder", 0), 0u) << said;
  EXPECT_FALSE(Says(said, "attune list")) << "not the advice for an entry id: " << said;
  const std::string passphrase = Explain(
      Status::NotFound("the passphrase file /tmp/p").WithReason(CliReason::kCannotOpenFile));
  EXPECT_TRUE(Says(passphrase, "cannot open the passphrase file /tmp/p; check its name"))
      << passphrase;
  EXPECT_FALSE(Says(passphrase, "attune list")) << passphrase;
  const nlohmann::json error = ErrorJson(missing)["error"];
  EXPECT_EQ(error["exit"], kExitNotFound);
  EXPECT_EQ(error["reason"], "cannot_open_file");
}

TEST(ReasonMessagesTest, TheUpgradeNoteSaysNothingWasLost) {
  EXPECT_TRUE(Says(UpgradedNote(), "your journal was upgraded")) << UpgradedNote();
  EXPECT_TRUE(Says(UpgradedNote(), "Nothing was lost")) << UpgradedNote();
}

TEST(ReasonMessagesTest, AnExportToAFileSaysWhereAndThatItIsNotEncrypted) {
  const std::string said = ExportedNote("/tmp/backup.md");
  EXPECT_EQ(said.rfind("Exported to /tmp/backup.md.", 0), 0u) << said;
  EXPECT_TRUE(Says(said, "not encrypted")) << said;
}

// What the e2e tests check by exit code alone: each code's sentence says what happened and what
// to do.
TEST(ReasonMessagesTest, EachCodeSaysWhatHappenedAndWhatToDo) {
  const std::string full = Explain(Status::NoSpace("journal.db: file too large"));
  EXPECT_TRUE(Says(full, "no space left")) << full;
  EXPECT_TRUE(Says(full, "everything saved before is intact")) << full;
  const std::string busy = Explain(Status::Busy("database is locked"));
  EXPECT_TRUE(Says(busy, "busy")) << busy;
  EXPECT_TRUE(Says(busy, "Try again")) << busy;
  EXPECT_TRUE(Says(Explain(Status::Corruption("bad header")), "Nothing was overwritten"));
  EXPECT_TRUE(Says(Explain(Status::AuthFailed("seal")), "Nothing was modified"));
  EXPECT_TRUE(Says(
      Explain(Status::NotFound("no journal in /h").WithReason(node::JournalReason::kNoJournal)),
      "attune init"));
  EXPECT_TRUE(
      Says(Explain(Status::AlreadyExists("a journal already exists in /h")), "already exists"));
  EXPECT_TRUE(Says(Explain(Status::NotFound("no entry 1234")), "attune list"));
  const std::string wrong = Explain(
      Status::AuthFailed("wrong passphrase").WithReason(node::JournalReason::kWrongPassphrase));
  EXPECT_TRUE(Says(wrong, "Nothing was changed")) << wrong;
  EXPECT_TRUE(Says(wrong, "`attune passwd --recover`")) << wrong;
}

// A well-formed code that does not open this journal (another journal's, or one replaced by a
// re-key) is told apart from a mistyped one, with the same exit code.
TEST(ReasonMessagesTest, ACodeThatIsNotThisJournalsIsToldApartFromAMistypedOne) {
  const Status status = Status::AuthFailed("recovery code not this journal's")
                            .WithReason(node::JournalReason::kRecoveryCodeNotThisJournals);
  const std::string said = Explain(status);
  EXPECT_TRUE(Says(said, "belongs to another journal, or to this one before")) << said;
  EXPECT_TRUE(Says(said, "Nothing was changed")) << said;
  EXPECT_EQ(ExitCodeFor(status), kExitWrongPassphrase);
  EXPECT_EQ(ReasonName(status), "recovery_code_not_this_journals");
}

// Issue 19's bugs 7 and 11: a failed join points to the partner's `pair`, not a serve; a
// missing folder or editor is named, and neither is a read-only disk or an answer of no.
TEST(ReasonMessagesTest, AJoinWhereNothingWaitsPointsToThePartnersPair) {
  const Status unreachable = Status::Unreachable("nothing answered at 127.0.0.1:5")
                                 .WithReason(node::PairingReason::kInviterUnreachable);
  EXPECT_TRUE(Says(Explain(unreachable), "`attune pair` is still waiting"));
  EXPECT_FALSE(Says(Explain(unreachable), "serve"));
  EXPECT_EQ(ReasonName(unreachable), "pairing_inviter_unreachable");
}

TEST(ReasonMessagesTest, AMissingFolderOrEditorIsNamed) {
  const Status folder =
      Status::NotFound("/tmp/nowhere").WithReason(node::PrivateFileReason::kNoSuchFolder);
  EXPECT_TRUE(Says(Explain(folder), "no folder /tmp/nowhere"));
  EXPECT_TRUE(Says(Explain(folder), "mkdir -p /tmp/nowhere"));
  EXPECT_FALSE(Says(Explain(folder), "read-only"));
  EXPECT_EQ(ExitCodeFor(folder), kExitNotFound);
  const Status editor = Status::NotFound("nanoo").WithReason(CliReason::kEditorNotFound);
  EXPECT_TRUE(Says(Explain(editor), "`nanoo`"));
  EXPECT_TRUE(Says(Explain(editor), "EDITOR"));
  EXPECT_EQ(ExitCodeFor(editor), kExitNotFound);
  EXPECT_NE(ExitCodeFor(editor), kExitCancelled);
}

}  // namespace
}  // namespace attune::cli
