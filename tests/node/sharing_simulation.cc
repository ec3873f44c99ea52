#include "tests/node/sharing_simulation.h"

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <variant>

#include "node/shared_content.h"
#include "tests/common/files.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

using protocol::SyncRecord;
using protocol::sync_testing::SyncNetwork;

constexpr uint64_t kFinalSyncTicks = 20'000;
constexpr int64_t kMaxClockStepMs = 60'000;
constexpr size_t kLastOperationsShown = 30;
// Of the operations of a run with exercises, the share that are exercise actions.
constexpr double kExerciseActions = 0.3;

std::string_view AsText(ByteSpan bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// A row arriving in parts, as its sender sent them.
struct Fragments {
  std::string entry_id;
  std::string content;
};

class SharingSimulation final : public protocol::sync_testing::NetworkObserver {
 public:
  explicit SharingSimulation(const SharingOptions& options)
      : options_(options),
        dice_(options.seed),
        temp_("attune_sharing"),
        play_(options.exercises ? std::make_unique<ExercisePlay>(authors_, run_) : nullptr),
        network_(dice_, *this, test_common::TracingRuns("SHARING"), play_.get()) {
    authors_[0] = std::make_unique<Author>("A", temp_.File("a"), kStartTime, run_);
    const Timestamp elsewhere = {kStartTime.utc_ms + 7, -300};
    authors_[1] = std::make_unique<Author>("B", temp_.File("b"), elsewhere, run_);
  }

  SharingResult Run() {
    Status status = play_ != nullptr ? play_->Pair() : Status::Ok();
    if (status.ok()) status = RandomPhase();
    if (status.ok()) status = FinalSync();
    for (size_t author = 0; author < 2 && status.ok(); ++author) {
      status = CheckPartnerHolds(author).WithContext("after the final sync");
      if (status.ok()) status = CheckDelivered(author);
    }
    if (status.ok() && play_ != nullptr) {
      status = play_->CheckFinal().WithContext("after the final sync");
    }
    if (play_ != nullptr) stats_.exercises = play_->counts();
    stats_.network = network_.stats();
    return {status.ok() ? status : Failure(status), stats_};
  }

 private:
  using HeldCopies = std::map<std::string, Entry>;  // entry id -> the copy held

  Status RandomPhase() {
    ATTUNE_RETURN_IF_ERROR(Connect());
    for (now_ = 1; now_ <= options_.ticks; ++now_) {
      log_.SetTick(now_);
      for (auto& author : authors_) author->AdvanceClock(dice_.Uniform(1, kMaxClockStepMs));
      const size_t who = dice_.Uniform(0, 1);
      if (dice_.Chance(0.35)) ATTUNE_RETURN_IF_ERROR(Act(who));
      if (dice_.Chance(0.005)) ATTUNE_RETURN_IF_ERROR(Restart(who));
      if (!network_.connected()) {
        if (now_ >= network_.reconnect_at()) ATTUNE_RETURN_IF_ERROR(Connect());
        continue;
      }
      if (dice_.Chance(0.01)) {
        network_.Cut(now_);
        continue;
      }
      ATTUNE_RETURN_IF_ERROR(network_.DeliverDue(now_));
      ATTUNE_RETURN_IF_ERROR(CheckSettled());
    }
    return Status::Ok();
  }

  Status FinalSync() {
    log_.SetTick(now_);
    log_.Add("final sync");
    faults_allowed_ = false;
    if (network_.connected()) network_.Cut(now_);
    for (uint64_t tick = 0; tick < kFinalSyncTicks; ++tick, ++now_) {
      if (!network_.connected()) ATTUNE_RETURN_IF_ERROR(Connect());
      ATTUNE_RETURN_IF_ERROR(network_.DeliverDue(now_));
      ATTUNE_ASSIGN_OR_RETURN(bool settled, network_.Quiescent(now_));
      if (settled) return Status::Ok();
    }
    return Status::Internal("the final sync did not settle");
  }

  Status Act(size_t who) {
    if (play_ != nullptr && dice_.Chance(kExerciseActions)) return PlayExercise(who);
    ATTUNE_RETURN_IF_ERROR(authors_[who]
                               ->Act(*authors_[1 - who])
                               .WithContext(authors_[who]->model().who() + "'s next operation"));
    changed_since_check_ = true;
    if (!network_.connected()) return Status::Ok();
    // As node/ does after every change while a session is up.
    ATTUNE_RETURN_IF_ERROR(network_.engine(who).LocalChanged());
    return network_.Collect(now_);
  }

  Status PlayExercise(size_t who) {
    ATTUNE_ASSIGN_OR_RETURN(std::vector<protocol::Message> due,
                            play_->Act(who, network_.connected()));
    changed_since_check_ = true;
    if (!network_.connected()) return Status::Ok();
    return network_.SendSide(now_, who, due);
  }

  // The process ends and a new one opens the journal: the session goes with it.
  Status Restart(size_t who) {
    if (network_.connected()) network_.Cut(now_);
    return authors_[who]->Restart();
  }

  Status Connect() {
    fragments_ = {};
    return network_.Connect(now_, {&authors_[0]->node().store(), &authors_[1]->node().store()},
                            faults_allowed_);
  }

  Status CheckSettled() {
    ATTUNE_ASSIGN_OR_RETURN(bool settled, network_.Quiescent(now_));
    const bool delivered = network_.deliveries() != deliveries_checked_;
    if (!settled || network_.faulty() || !(changed_since_check_ || delivered)) {
      return Status::Ok();
    }
    changed_since_check_ = false;
    deliveries_checked_ = network_.deliveries();
    ++stats_.settled_checks;
    for (size_t author = 0; author < 2; ++author) {
      ATTUNE_RETURN_IF_ERROR(CheckPartnerHolds(author).WithContext("settled on a clean session"));
    }
    if (play_ != nullptr) {
      ATTUNE_RETURN_IF_ERROR(play_->CheckShown().WithContext("settled on a clean session"));
    }
    return Status::Ok();
  }

  // ---- Property 1: the partner holds exactly the last confirmed previews ----

  Status CheckPartnerHolds(size_t author_index) {
    ATTUNE_ASSIGN_OR_RETURN(HeldCopies held, HeldBy(1 - author_index));
    const std::string whose = "the partner's node (" + Name(1 - author_index) + ")";
    for (const std::unique_ptr<AuthoredEntry>& authored : authors_[author_index]->model().all()) {
      auto found = held.find(authored->entry.id);
      if (found == held.end()) {
        if (!authored->confirmed) continue;
        return Status::Internal(
            authored->name + " is shared, yet " + whose +
            " does not hold it; last confirmed: " + authored->confirmed->dump());
      }
      const nlohmann::json copy = ViewJson(found->second);
      if (!authored->confirmed) {
        return Status::Internal(authored->name + " is " +
                                (authored->deleted ? "deleted" : "private") + ", yet " + whose +
                                " holds " + copy.dump());
      }
      ATTUNE_RETURN_IF_ERROR(CheckAnswers(*authored, copy, whose));
      if (copy != *authored->confirmed) {
        return Status::Internal(authored->name + ": " + whose + " holds " + copy.dump() +
                                "\n  expected (the last confirmed preview) " +
                                authored->confirmed->dump());
      }
    }
    return Status::Ok();
  }

  // What node `holder` holds of its partner's entries: each one its partner wrote, held as
  // shared.
  Result<HeldCopies> HeldBy(size_t holder) {
    const AuthorModel& author = authors_[1 - holder]->model();
    ATTUNE_ASSIGN_OR_RETURN(std::vector<Entry> held, authors_[holder]->node().journal().List(
                                                         {.author = node::Author::kPartner}));
    HeldCopies copies;
    for (Entry& entry : held) {
      const AuthoredEntry* authored = author.Find(entry.id);
      if (authored == nullptr) {
        return Status::Internal(Name(holder) + " holds an entry " + author.who() + " never wrote");
      }
      if (entry.visibility != node::Visibility::kShared) {
        return Status::Internal(Name(holder) + " holds " + authored->name + " as " +
                                std::string(VisibilityName(entry.visibility)));
      }
      copies.emplace(entry.id, std::move(entry));
    }
    return copies;
  }

  // After the final sync: every row acknowledged, and "waiting for confirmation" shown for
  // exactly the shared entries changed since their last confirmation.
  Status CheckDelivered(size_t author_index) {
    Author& author = *authors_[author_index];
    ATTUNE_ASSIGN_OR_RETURN(std::vector<SharedItem> items, author.node().journal().SharedItems());
    size_t shared = 0;
    for (const SharedItem& item : items) {
      const AuthoredEntry* authored = author.model().Find(item.entry_id);
      if (authored == nullptr) return Status::Internal("a log row for an entry never written");
      const bool delivered = item.state == DeliveryState::kDelivered;
      if (item.damaged || (!delivered && item.state != DeliveryState::kWithdrawn)) {
        return Status::Internal(authored->name + ": not acknowledged after the final sync");
      }
      if (delivered != authored->confirmed.has_value()) {
        return Status::Internal(authored->name + ": the log says " +
                                (delivered ? "shared" : "withdrawn"));
      }
      if (!delivered) continue;
      ++shared;
      const bool waiting = AuthorModel::ExpectedView(authored->entry, authored->with_answers) !=
                           *authored->confirmed;
      if (item.awaiting_confirmation != waiting) {
        return Status::Internal(authored->name + std::string(waiting ? " is not" : " is") +
                                " shown as waiting for confirmation");
      }
    }
    if (shared != author.model().ConfirmedViews().size()) {
      return Status::Internal(author.model().who() + " shares entries its log does not hold");
    }
    return Status::Ok();
  }

  // ---- Property 2: what crosses, at the moment it crosses ----

  Status OnSend(size_t from, const protocol::Message& message, const Bytes& envelope) override {
    if (play_ != nullptr) {
      ATTUNE_RETURN_IF_ERROR(play_->CheckSend(from, message, envelope));
    }
    ATTUNE_RETURN_IF_ERROR(CheckMarkers(from, AsText(envelope), "an envelope"));
    const auto* batch = std::get_if<protocol::SyncBatchMessage>(&message);
    if (batch == nullptr) return Status::Ok();
    for (const SyncRecord& record : batch->records) {
      ATTUNE_RETURN_IF_ERROR(CheckRecord(from, record));
    }
    return Status::Ok();
  }

  void OnReceived(size_t to, const protocol::Message& message) override {
    if (play_ != nullptr) play_->Received(to, message);
  }

  Status CheckMarkers(size_t from, std::string_view bytes, const std::string& what) {
    AuthorModel& sender = authors_[from]->model();
    for (uint64_t marker : MarkersIn(bytes)) {
      if (sender.MayCross(marker)) continue;
      return Status::Internal(sender.who() + " sent " + what + " carrying " +
                              markers_.Describe(marker) + ", in no version " + sender.who() +
                              " confirmed and still shares");
    }
    return Status::Ok();
  }

  // A row's fragments are sent together (one engine call queues them all), so they are joined
  // here in the order sent, whatever the network then does with them.
  Status CheckRecord(size_t from, const SyncRecord& record) {
    if (!record.continues && record.part == 0) {
      return CheckRow(from, record.entry_id, record.withdrawn, AsText(record.content));
    }
    std::optional<Fragments>& parts = fragments_[from];
    if (record.part == 0) parts = Fragments{record.entry_id, {}};
    if (!parts || parts->entry_id != record.entry_id) {
      return Status::Internal("a fragment sent out of its row's order");
    }
    parts->content.append(AsText(record.content));
    if (record.continues) return Status::Ok();
    const Fragments whole = std::move(*parts);
    parts.reset();
    return CheckRow(from, whole.entry_id, false, whole.content);
  }

  Status CheckRow(size_t from, const std::string& id, bool withdrawn, std::string_view content) {
    AuthorModel& sender = authors_[from]->model();
    const AuthoredEntry* authored = sender.Find(id);
    if (authored == nullptr) return Status::Internal(sender.who() + " sent an entry never written");
    if (withdrawn) {
      ++stats_.withdrawals_checked;
      if (!authored->confirmed) return Status::Ok();
      return Status::Internal(authored->name + " went out as a withdrawal while shared");
    }
    ++stats_.rows_checked;
    ATTUNE_RETURN_IF_ERROR(CheckMarkers(from, content, "the row of " + authored->name));
    if (!authored->confirmed) {
      return Status::Internal(authored->name + " crossed while " +
                              (authored->deleted ? "deleted" : "private"));
    }
    Result<Entry> sent = DecodeSharedContent(content);
    if (!sent.ok())
      return Status::Internal(authored->name + " crossed in a form that does not decode");
    const nlohmann::json view = ViewJson(*sent);
    ATTUNE_RETURN_IF_ERROR(CheckAnswers(*authored, view, "the wire"));
    if (view != *authored->confirmed) {
      return Status::Internal(authored->name + " crossed as " + view.dump() +
                              "\n  expected (the last confirmed preview) " +
                              authored->confirmed->dump());
    }
    return Status::Ok();
  }

  // A style result's quiz answers leave only if its author confirmed them --with-answers.
  static Status CheckAnswers(const AuthoredEntry& authored, const nlohmann::json& view,
                             const std::string& where) {
    if (!view["fields"].contains(kQuizAnswersField) || authored.with_answers) return Status::Ok();
    return Status::Internal(authored.name + ": its quiz answers reached " + where +
                            ", never confirmed --with-answers");
  }

  // ---- Reporting ----

  const std::string& Name(size_t author) const { return authors_[author]->model().who(); }

  Status Failure(const Status& status) const {
    std::string detail = "seed " + std::to_string(options_.seed) + ", tick " +
                         std::to_string(now_) + ": " + status.detail();
    for (const auto& author : authors_) {
      for (const std::unique_ptr<AuthoredEntry>& authored : author->model().all()) {
        if (status.detail().find(authored->name + ":") == std::string::npos &&
            status.detail().find(authored->name + " ") == std::string::npos) {
          continue;
        }
        detail += "\n  operations on " + authored->name + ":" + log_.Lines(authored->history);
      }
    }
    detail += "\n  the last operations of " + std::to_string(log_.size()) + ":" +
              log_.Last(kLastOperationsShown);
    detail += std::string("\n  replay with ATTUNE_") + (play_ ? "EXERCISE" : "SHARING") +
              "_SEED=" + std::to_string(options_.seed) +
              " (ATTUNE_SHARING_TRACE=1 prints every message)";
    return Status::Internal(detail);
  }

  SharingOptions options_;
  test_common::Dice dice_;
  MarkerBook markers_;
  OpLog log_{test_common::TracingRuns("SHARING")};
  SharingStats stats_;
  RunContext run_{dice_, markers_, log_, stats_.ops};
  test_common::TempDir temp_;
  std::array<std::unique_ptr<Author>, 2> authors_;
  std::unique_ptr<ExercisePlay> play_;  // with options_.exercises only
  SyncNetwork network_;
  uint64_t now_ = 0;
  bool faults_allowed_ = true;
  // A journal changed since both sides were last compared (by an operation, or a delivery).
  bool changed_since_check_ = true;
  uint64_t deliveries_checked_ = 0;
  std::array<std::optional<Fragments>, 2> fragments_;
};

}  // namespace

SharingStats& SharingStats::operator+=(const SharingStats& other) {
  ops += other.ops;
  network += other.network;
  settled_checks += other.settled_checks;
  rows_checked += other.rows_checked;
  withdrawals_checked += other.withdrawals_checked;
  exercises += other.exercises;
  return *this;
}

std::string SharingStats::ToString() const {
  return ops.ToString() + " | " + network.ToString() +
         " | settled_checks=" + std::to_string(settled_checks) +
         " rows_checked=" + std::to_string(rows_checked) +
         " withdrawals_checked=" + std::to_string(withdrawals_checked) +
         (exercises.asked > 0 ? " | exercises: " + exercises.ToString() : "");
}

SharingResult RunSharingSimulation(const SharingOptions& options) {
  return SharingSimulation(options).Run();
}

}  // namespace attune::node::testing
