// A name for each typed reason a command can fail with, for the JSON a failing `--json`
// command prints: stable names a script can test, where the sentence is for people.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "cli/exit_codes.h"
#include "cli/messages.h"
#include "node/agent.h"
#include "node/bundle.h"
#include "node/exercises.h"
#include "node/journal_reason.h"
#include "node/link.h"
#include "node/private_file.h"
#include "node/ui.h"

namespace attune::cli {
namespace {

// Never renamed once released: scripts test these.
constexpr std::pair<int, const char*> kReasonNames[] = {
    {static_cast<int>(node::LinkReason::kPeerOlder), "link_peer_older"},
    {static_cast<int>(node::LinkReason::kPeerNewer), "link_peer_newer"},
    {static_cast<int>(node::LinkReason::kNotAnswered), "link_not_answered"},
    {static_cast<int>(node::LinkReason::kPeerLacksFeature), "link_peer_lacks_feature"},
    {static_cast<int>(node::LinkReason::kReplayedHandshake), "link_replayed_handshake"},
    {static_cast<int>(node::LinkReason::kStalledMidMessage), "link_stalled_mid_message"},
    {static_cast<int>(node::LinkReason::kPortInUse), "link_port_in_use"},
    {static_cast<int>(node::LinkReason::kPartnerNotFound), "link_partner_not_found"},
    {static_cast<int>(node::LinkReason::kConnectionReset), "link_connection_reset"},
    {static_cast<int>(node::LinkReason::kPartnerHasNoOnion), "link_partner_has_no_onion"},
    {static_cast<int>(node::UiReason::kNotLoopback), "ui_not_loopback"},
    {static_cast<int>(node::UiReason::kTooLarge), "ui_too_large"},
    {static_cast<int>(node::UiReason::kWrongHost), "ui_wrong_host"},
    {static_cast<int>(node::UiReason::kNoSuchRoute), "ui_no_such_route"},
    {static_cast<int>(node::UiReason::kWrongMethod), "ui_wrong_method"},
    {static_cast<int>(node::UiReason::kNoSession), "ui_no_session"},
    {static_cast<int>(node::UiReason::kWrongOrigin), "ui_wrong_origin"},
    {static_cast<int>(node::UiReason::kBadRequest), "ui_bad_request"},
    {static_cast<int>(node::UiReason::kNoHost), "ui_no_host"},
    {static_cast<int>(node::UiReason::kPageFailed), "ui_page_failed"},
    {static_cast<int>(node::ExerciseReason::kUnknownExercise), "unknown_exercise"},
    {static_cast<int>(node::ExerciseReason::kNoSuchExercise), "no_such_exercise"},
    {static_cast<int>(node::ExerciseReason::kAlreadyAnswered), "exercise_already_answered"},
    {static_cast<int>(node::ExerciseReason::kOver), "exercise_over"},
    {static_cast<int>(node::ExerciseReason::kNotYours), "exercise_not_yours"},
    {static_cast<int>(node::ExerciseReason::kBothAnswered), "exercise_both_answered"},
    {static_cast<int>(node::ExerciseReason::kAnswerTooLong), "exercise_answer_too_long"},
    {static_cast<int>(node::AgentReason::kUnsafeFolder), "agent_unsafe_folder"},
    {static_cast<int>(node::AgentReason::kHoldOutOfRange), "agent_hold_out_of_range"},
    {static_cast<int>(node::AgentReason::kStartFailed), "agent_start_failed"},
    {static_cast<int>(node::TorReason::kNotInstalled), "tor_not_installed"},
    {static_cast<int>(node::TorReason::kExitedEarly), "tor_exited_early"},
    {static_cast<int>(node::TorReason::kBootstrapTimedOut), "tor_bootstrap_timed_out"},
    {static_cast<int>(node::TorReason::kControlRefused), "tor_control_refused"},
    {static_cast<int>(node::TorReason::kPublishTimedOut), "tor_publish_timed_out"},
    {static_cast<int>(node::TorReason::kPublishFailed), "tor_publish_failed"},
    {static_cast<int>(node::TorReason::kSocksRefused), "tor_socks_refused"},
    {static_cast<int>(node::TorReason::kDescriptorUnavailable), "tor_descriptor_unavailable"},
    {static_cast<int>(node::PairingReason::kPartnerOlder), "pairing_partner_older"},
    {static_cast<int>(node::PairingReason::kPartnerNewer), "pairing_partner_newer"},
    {static_cast<int>(node::PairingReason::kInvitationNotFound), "pairing_invitation_not_found"},
    {static_cast<int>(node::PairingReason::kInviterUnreachable), "pairing_inviter_unreachable"},
    {static_cast<int>(node::PairingReason::kAlreadyPaired), "pairing_already_paired"},
    {static_cast<int>(node::PairingReason::kNeedsInviterAddress), "pairing_needs_inviter_address"},
    {static_cast<int>(node::PairingReason::kCodeMismatch), "pairing_code_mismatch"},
    {static_cast<int>(node::PairingReason::kOnionAddressNeedsTor), "pairing_onion_needs_tor"},
    {static_cast<int>(node::PairingReason::kNotAnOnionAddress), "pairing_not_an_onion_address"},
    {static_cast<int>(node::PrivateFileReason::kFileExists), "file_exists"},
    {static_cast<int>(node::PrivateFileReason::kNoSuchFolder), "no_such_folder"},
    {static_cast<int>(node::JournalReason::kStyleComesFromQuiz), "style_comes_from_quiz"},
    {static_cast<int>(node::JournalReason::kHomeHasJournal), "home_has_journal"},
    {static_cast<int>(node::JournalReason::kNotABackup), "not_a_backup"},
    {static_cast<int>(node::JournalReason::kBackupDamaged), "backup_damaged"},
    {static_cast<int>(node::JournalReason::kBackupNeedsRecoveryCode), "backup_needs_recovery_code"},
    {static_cast<int>(node::JournalReason::kNotifyNoSessionBus), "notify_no_session_bus"},
    {static_cast<int>(node::JournalReason::kNotifyNotInstalled), "notify_not_installed"},
    {static_cast<int>(node::JournalReason::kNotifyFailed), "notify_failed"},
    {static_cast<int>(node::JournalReason::kEntryDamaged), "entry_damaged"},
    {static_cast<int>(node::JournalReason::kRecordDamaged), "record_damaged"},
    {static_cast<int>(node::JournalReason::kPlainKeyBesideWrapped), "plain_key_beside_wrapped"},
    {static_cast<int>(node::JournalReason::kKeyCheckFailed), "key_check_failed"},
    {static_cast<int>(node::JournalReason::kKeyChanged), "key_changed"},
    {static_cast<int>(node::JournalReason::kServeRunning), "serve_running"},
    {static_cast<int>(node::JournalReason::kChangedSincePreview), "changed_since_preview"},
    {static_cast<int>(node::JournalReason::kStyleTextIsDerived), "style_text_is_derived"},
    {static_cast<int>(node::JournalReason::kNotShared), "not_shared"},
    {static_cast<int>(node::JournalReason::kNotOwnEntry), "not_own_entry"},
    {static_cast<int>(node::JournalReason::kNoAnswersToShare), "no_answers_to_share"},
    {static_cast<int>(node::JournalReason::kNotAStatement), "not_a_statement"},
    {static_cast<int>(node::JournalReason::kHomeInUse), "home_in_use"},
    {static_cast<int>(node::JournalReason::kMalformedId), "malformed_id"},
    {static_cast<int>(node::JournalReason::kRespondToOwnEntry), "respond_to_own_entry"},
    {static_cast<int>(node::JournalReason::kUnknownAck), "unknown_ack"},
    {static_cast<int>(node::JournalReason::kResponseWithoutTarget), "response_without_target"},
    {static_cast<int>(node::JournalReason::kImportNotJson), "import_not_json"},
    {static_cast<int>(node::JournalReason::kNoHomeDirectory), "no_home_directory"},
    {static_cast<int>(node::JournalReason::kNoJournal), "no_journal"},
    {static_cast<int>(node::JournalReason::kAmbiguousId), "ambiguous_id"},
    {static_cast<int>(node::JournalReason::kWrongPassphrase), "wrong_passphrase"},
    {static_cast<int>(node::JournalReason::kNotPaired), "not_paired"},
    {static_cast<int>(node::JournalReason::kNotABoundary), "not_a_boundary"},
    {static_cast<int>(node::JournalReason::kRecoveryCodeNotThisJournals),
     "recovery_code_not_this_journals"},
    {static_cast<int>(node::JournalReason::kInTrash), "in_trash"},
    {static_cast<int>(node::JournalReason::kNotInTrash), "not_in_trash"},
    {static_cast<int>(node::JournalReason::kTextTooLong), "text_too_long"},
    {static_cast<int>(node::JournalReason::kTextNotUtf8), "text_not_utf8"},
    {static_cast<int>(CliReason::kNeedsPassphrase), "needs_passphrase"},
    {static_cast<int>(CliReason::kCannotOpenFile), "cannot_open_file"},
    {static_cast<int>(CliReason::kPassphraseFileOpen), "passphrase_file_open"},
    {static_cast<int>(CliReason::kBundleGap), "bundle_gap"},
    {static_cast<int>(CliReason::kStatementLines), "statement_lines"},
    {static_cast<int>(CliReason::kBundleNotForYou), "bundle_not_for_you"},
    {static_cast<int>(CliReason::kBundleDamaged), "bundle_damaged"},
    {static_cast<int>(CliReason::kBundleMalformed), "bundle_malformed"},
    {static_cast<int>(CliReason::kEditorNotFound), "editor_not_found"},
    {static_cast<int>(node::BundleReason::kNoSuchFile), "bundle_no_such_file"},
};

}  // namespace

std::string ReasonName(const Status& status) {
  for (const auto& [reason, name] : kReasonNames) {
    if (status.reason() == reason) return name;
  }
  // A reason without a name here (cli's kWorded) adds nothing a script could use.
  return "";
}

nlohmann::json ErrorJson(const Status& status) {
  nlohmann::json error{{"exit", ExitCodeFor(status)},
                       {"code", StatusCodeName(status.code())},
                       {"message", Explain(status)}};
  if (const std::string reason = ReasonName(status); !reason.empty()) error["reason"] = reason;
  return {{"error", std::move(error)}};
}

}  // namespace attune::cli
