// Shared exercises (node/exercises.h, node/journal/exercise_link.h): the record that keeps them,
// and each step of protocol::ExerciseExchange over it.
#include <algorithm>

#include "base/text_util.h"
#include "base/utf8.h"
#include "crypto/commitment.h"
#include "crypto/random.h"
#include "node/exercises.h"
#include "node/journal/bounded_json.h"
#include "node/journal/exercise_link.h"
#include "node/journal/journal_backing.h"
#include "node/journal/link_identity.h"
#include "steps/exercises.h"
#include "storage/transaction.h"

namespace attune::node {

// The journal's sealed records and write transactions, for the exercises (a friend of Journal).
class ExerciseRecords {
 public:
  static Result<std::optional<std::string>> Get(Journal& journal, std::string_view name) {
    return journal.GetRecord(name);
  }
  static Status Put(Journal& journal, std::string_view name, std::string_view value) {
    return journal.PutRecord(name, value);
  }
  static Status Delete(Journal& journal, std::string_view name) {
    return journal.DeleteRecord(name);
  }
  static Result<storage::Transaction> BeginWrite(Journal& journal) { return journal.BeginWrite(); }
  static Timestamp Now(const Journal& journal) { return journal.clock_->Now(); }
};

// The domain's names must fit the wire; node sees both modules, which do not see each other.
static_assert(steps::kMaxExerciseNameBytes == protocol::kMaxExerciseNameBytes,
              "steps/exercises.h and protocol/exercise.h must agree on the longest name");

namespace {

using protocol::ExercisePhase;
using protocol::ExerciseState;

// One sealed record holds every exercise: a JSON array of StoredExercise.
constexpr std::string_view kExercisesRecord = "exercises";
// What the last session showed of the partner's attune: {"lacks_exercises", "sent_unknown"}.
constexpr std::string_view kPartnerSoftwareRecord = "partner.software";

struct StoredExercise {
  ExerciseState state;
  std::string partner;  // hex of the partner's link key: exercises belong to one pairing
  Timestamp started;
};

constexpr std::pair<ExercisePhase, const char*> kPhaseNames[] = {
    {ExercisePhase::kOpen, "open"},
    {ExercisePhase::kRevealed, "revealed"},
    {ExercisePhase::kMismatch, "mismatch"},
    {ExercisePhase::kWithdrawn, "withdrawn"},
};

nlohmann::json ToJson(const StoredExercise& stored) {
  const ExerciseState& s = stored.state;
  nlohmann::json object = {{"id", s.id},
                           {"exercise", s.exercise},
                           {"partner", stored.partner},
                           {"started_here", s.started_here},
                           {"started_ms", stored.started.utc_ms},
                           {"offset_min", stored.started.offset_min},
                           {"my_commitment", ToHex(s.my_commitment)},
                           {"my_opening", ToHex(s.my_opening)},
                           {"my_reveal_sent", s.my_reveal_sent},
                           {"partner_commitment", ToHex(s.partner_commitment)}};
  for (const auto& [phase, name] : kPhaseNames) {
    if (phase == s.phase) object["phase"] = name;
  }
  if (s.my_answer) object["my_answer"] = *s.my_answer;
  if (s.partner_answer) object["partner_answer"] = *s.partner_answer;
  return object;
}

Result<StoredExercise> FromJson(const nlohmann::json& object) {
  const auto damaged = [] {
    return Status::Corruption(std::string(kExercisesRecord))
        .WithReason(JournalReason::kRecordDamaged);
  };
  if (!object.is_object()) return damaged();
  StoredExercise stored;
  ExerciseState& s = stored.state;
  try {
    s.id = object.at("id").get<std::string>();
    s.exercise = object.at("exercise").get<std::string>();
    stored.partner = object.at("partner").get<std::string>();
    s.started_here = object.at("started_here").get<bool>();
    stored.started = {object.at("started_ms").get<int64_t>(),
                      object.at("offset_min").get<int32_t>()};
    s.my_reveal_sent = object.at("my_reveal_sent").get<bool>();
    const std::string phase = object.at("phase").get<std::string>();
    const auto* named = std::find_if(std::begin(kPhaseNames), std::end(kPhaseNames),
                                     [&phase](const auto& p) { return phase == p.second; });
    if (named == std::end(kPhaseNames)) return damaged();
    s.phase = named->first;
    if (object.contains("my_answer")) s.my_answer = object.at("my_answer").get<std::string>();
    if (object.contains("partner_answer")) {
      s.partner_answer = object.at("partner_answer").get<std::string>();
    }
    for (auto [field, bytes] :
         {std::pair{"my_commitment", &s.my_commitment}, std::pair{"my_opening", &s.my_opening},
          std::pair{"partner_commitment", &s.partner_commitment}}) {
      std::optional<Bytes> decoded = FromHex(object.at(field).get<std::string>());
      if (!decoded) return damaged();
      *bytes = std::move(*decoded);
    }
  } catch (const nlohmann::json::exception&) {
    return damaged();
  }
  return stored;
}

ExerciseStage StageOf(const ExerciseState& s) {
  switch (s.phase) {
    case ExercisePhase::kRevealed:
      return ExerciseStage::kRevealed;
    case ExercisePhase::kMismatch:
      return ExerciseStage::kMismatch;
    case ExercisePhase::kWithdrawn:
      return ExerciseStage::kWithdrawn;
    case ExercisePhase::kOpen:
      break;
  }
  const bool mine = s.my_answer.has_value(), theirs = !s.partner_commitment.empty();
  if (mine && theirs) return ExerciseStage::kRevealing;
  if (mine) return ExerciseStage::kWaitingForPartner;
  if (theirs) return ExerciseStage::kWaitingForYou;
  return ExerciseStage::kWaitingForBoth;
}

ExerciseView ViewOf(const StoredExercise& stored) {
  const ExerciseState& s = stored.state;
  ExerciseView view;
  view.id = s.id;
  view.name = s.exercise;
  view.started_by_me = s.started_here;
  view.stage = StageOf(s);
  view.started = stored.started;
  view.my_answer = s.my_answer;
  if (s.phase == ExercisePhase::kRevealed) view.partner_answer = s.partner_answer;
  return view;
}

Bytes KeyBytes(const crypto::X25519PublicKey& key) {
  return Bytes(key.begin(), key.end());
}

Status Refused(ExerciseReason reason, std::string detail) {
  return Status::InvalidArgument(std::move(detail)).WithReason(reason);
}

// The exercises with the current partner, and the rest (kept as they are), read and written in
// the caller's transaction.
class ExerciseBook {
 public:
  static Result<ExerciseBook> Open(Journal& journal) {
    ExerciseBook book(journal);
    ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, journal.GetPartner());
    if (!partner) {
      return Status::InvalidArgument("not paired").WithReason(JournalReason::kNotPaired);
    }
    book.partner_key_ = KeyBytes(partner->public_key);
    ATTUNE_ASSIGN_OR_RETURN(crypto::X25519KeyPair own, LinkIdentityOf(journal));
    book.my_key_ = KeyBytes(own.public_key);
    ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> text,
                            ExerciseRecords::Get(journal, kExercisesRecord));
    if (!text) return book;
    const nlohmann::json all = ParseBoundedJson(*text);
    if (!all.is_array()) {
      return Status::Corruption(std::string(kExercisesRecord))
          .WithReason(JournalReason::kRecordDamaged);
    }
    for (const nlohmann::json& item : all) {
      ATTUNE_ASSIGN_OR_RETURN(StoredExercise stored, FromJson(item));
      book.all_.push_back(std::move(stored));
    }
    return book;
  }

  Status Save() {
    nlohmann::json all = nlohmann::json::array();
    for (const StoredExercise& stored : all_) all.push_back(ToJson(stored));
    return ExerciseRecords::Put(journal_, kExercisesRecord, all.dump());
  }

  bool Ours(const StoredExercise& stored) const { return stored.partner == ToHex(partner_key_); }

  // The current partner's exercise `id_or_prefix` names (a unique prefix of its id).
  Result<StoredExercise*> Find(std::string_view id_or_prefix) {
    StoredExercise* found = nullptr;
    for (StoredExercise& stored : all_) {
      if (!Ours(stored) || !stored.state.id.starts_with(id_or_prefix)) continue;
      if (found != nullptr) {
        return Status::InvalidArgument(std::string(id_or_prefix))
            .WithReason(JournalReason::kAmbiguousId);
      }
      found = &stored;
    }
    if (found == nullptr || id_or_prefix.empty()) {
      return Status::NotFound(std::string(id_or_prefix))
          .WithReason(ExerciseReason::kNoSuchExercise);
    }
    return found;
  }

  StoredExercise* FindExact(const std::string& id) {
    for (StoredExercise& stored : all_) {
      if (Ours(stored) && stored.state.id == id) return &stored;
    }
    return nullptr;
  }

  protocol::ExerciseExchange Exchange(const StoredExercise& stored) const {
    return protocol::ExerciseExchange(stored.state, my_key_, partner_key_);
  }

  StoredExercise& Add(ExerciseState state, Timestamp started) {
    all_.push_back({std::move(state), ToHex(partner_key_), started});
    return all_.back();
  }

  std::vector<StoredExercise>& all() { return all_; }

 private:
  explicit ExerciseBook(Journal& journal) : journal_(journal) {}

  Journal& journal_;
  Bytes my_key_;
  Bytes partner_key_;
  std::vector<StoredExercise> all_;
};

}  // namespace

// ---- The commands' side ----

Result<ExerciseView> Exercises::Ask(std::string_view name) {
  if (steps::FindExercise(name) == nullptr) {
    return Refused(ExerciseReason::kUnknownExercise, std::string(name));
  }
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, ExerciseRecords::BeginWrite(journal_));
  ATTUNE_ASSIGN_OR_RETURN(ExerciseBook book, ExerciseBook::Open(journal_));
  auto [state, ask] =
      protocol::ExerciseExchange::Ask(ToHex(crypto::RandomBytes(16)), std::string(name));
  (void)ask;  // the link sends it (ExerciseLink::Resends)
  const StoredExercise& added = book.Add(std::move(state), ExerciseRecords::Now(journal_));
  const ExerciseView view = ViewOf(added);
  ATTUNE_RETURN_IF_ERROR(book.Save());
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return view;
}

Result<ExerciseView> Exercises::Answer(std::string_view id_or_prefix, std::string answer) {
  if (Trim(answer).empty()) return Status::InvalidArgument("the answer is empty");
  if (answer.size() > protocol::kMaxExerciseAnswerBytes) {
    return Refused(ExerciseReason::kAnswerTooLong, std::to_string(answer.size()));
  }
  if (!IsValidUtf8(answer)) {
    return Status::InvalidArgument("the answer is not UTF-8")
        .WithReason(JournalReason::kTextNotUtf8);
  }
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, ExerciseRecords::BeginWrite(journal_));
  ATTUNE_ASSIGN_OR_RETURN(ExerciseBook book, ExerciseBook::Open(journal_));
  ATTUNE_ASSIGN_OR_RETURN(StoredExercise * stored, book.Find(id_or_prefix));
  if (stored->state.phase != ExercisePhase::kOpen) {
    return Refused(ExerciseReason::kOver, stored->state.id);
  }
  if (stored->state.my_answer) return Refused(ExerciseReason::kAlreadyAnswered, stored->state.id);
  protocol::ExerciseExchange exchange = book.Exchange(*stored);
  ATTUNE_RETURN_IF_ERROR(
      exchange.Answer(std::move(answer), crypto::RandomBytes(crypto::kOpeningBytes)).status());
  stored->state = exchange.state();
  const ExerciseView view = ViewOf(*stored);
  ATTUNE_RETURN_IF_ERROR(book.Save());
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return view;
}

Result<ExerciseView> Exercises::Withdraw(std::string_view id_or_prefix) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, ExerciseRecords::BeginWrite(journal_));
  ATTUNE_ASSIGN_OR_RETURN(ExerciseBook book, ExerciseBook::Open(journal_));
  ATTUNE_ASSIGN_OR_RETURN(StoredExercise * stored, book.Find(id_or_prefix));
  const ExerciseState& s = stored->state;
  if (!s.started_here) return Refused(ExerciseReason::kNotYours, s.id);
  if (s.phase != ExercisePhase::kOpen) return Refused(ExerciseReason::kOver, s.id);
  if (s.my_answer && !s.partner_commitment.empty()) {
    return Refused(ExerciseReason::kBothAnswered, s.id);
  }
  protocol::ExerciseExchange exchange = book.Exchange(*stored);
  ATTUNE_RETURN_IF_ERROR(exchange.Withdraw().status());
  stored->state = exchange.state();
  const ExerciseView view = ViewOf(*stored);
  ATTUNE_RETURN_IF_ERROR(book.Save());
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return view;
}

Result<ExerciseView> Exercises::Find(std::string_view id_or_prefix) {
  ATTUNE_ASSIGN_OR_RETURN(ExerciseBook book, ExerciseBook::Open(journal_));
  ATTUNE_ASSIGN_OR_RETURN(const StoredExercise* stored, book.Find(id_or_prefix));
  return ViewOf(*stored);
}

Result<std::vector<ExerciseView>> Exercises::List() {
  ATTUNE_ASSIGN_OR_RETURN(ExerciseBook book, ExerciseBook::Open(journal_));
  std::vector<ExerciseView> views;
  for (const StoredExercise& stored : book.all()) {
    if (book.Ours(stored)) views.push_back(ViewOf(stored));
  }
  std::stable_sort(views.begin(), views.end(), [](const ExerciseView& a, const ExerciseView& b) {
    return a.started.utc_ms > b.started.utc_ms;
  });
  return views;
}

Result<PartnerSoftware> Exercises::Partner() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> text,
                          ExerciseRecords::Get(journal_, kPartnerSoftwareRecord));
  PartnerSoftware seen;
  if (!text) return seen;
  const nlohmann::json object = ParseBoundedJson(*text);
  if (!object.is_object()) return seen;  // a hint only: nothing rests on it
  seen.lacks_exercises = object.value("lacks_exercises", false);
  seen.sent_unknown = object.value("sent_unknown", false);
  return seen;
}

// ---- The link's side ----

Status ExerciseLink::NotePartner(const PartnerSoftware& seen) {
  ATTUNE_ASSIGN_OR_RETURN(PartnerSoftware before, Exercises(journal_).Partner());
  if (before.lacks_exercises == seen.lacks_exercises && before.sent_unknown == seen.sent_unknown) {
    return Status::Ok();
  }
  const nlohmann::json object = {{"lacks_exercises", seen.lacks_exercises},
                                 {"sent_unknown", seen.sent_unknown}};
  return ExerciseRecords::Put(journal_, kPartnerSoftwareRecord, object.dump());
}

Status ExerciseLink::ForgetPairing() {
  // All of them, not only the departing partner's: every exercise belongs to one pairing, and
  // after unpair there is none (a journal from before unpair removed them may hold an earlier
  // partner's too, kept until now).
  ATTUNE_RETURN_IF_ERROR(ExerciseRecords::Delete(journal_, kExercisesRecord));
  return ExerciseRecords::Delete(journal_, kPartnerSoftwareRecord);
}

std::vector<protocol::ExerciseMessage> ExerciseLink::NotSentYet(
    std::vector<protocol::ExerciseMessage> messages) {
  std::vector<protocol::ExerciseMessage> out;
  for (protocol::ExerciseMessage& message : messages) {
    // An exercise's message of one kind never changes once made: its id and kind name it.
    const std::string key =
        message.exercise_id + ":" + std::to_string(static_cast<int>(message.kind));
    if (sent_.insert(key).second) out.push_back(std::move(message));
  }
  return out;
}

Result<std::vector<protocol::ExerciseMessage>> ExerciseLink::Due() {
  Result<ExerciseBook> book = ExerciseBook::Open(journal_);
  if (book.status().Is(JournalReason::kNotPaired)) return std::vector<protocol::ExerciseMessage>();
  if (!book.ok()) return book.status();
  std::vector<protocol::ExerciseMessage> out;
  for (const StoredExercise& stored : book->all()) {
    if (!book->Ours(stored)) continue;
    for (protocol::ExerciseMessage& message : book->Exchange(stored).Resend()) {
      out.push_back(std::move(message));
    }
  }
  return NotSentYet(std::move(out));
}

Result<ExerciseLink::Receipt> ExerciseLink::Receive(const protocol::ExerciseMessage& message) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, ExerciseRecords::BeginWrite(journal_));
  ATTUNE_ASSIGN_OR_RETURN(ExerciseBook book, ExerciseBook::Open(journal_));
  StoredExercise* stored = book.FindExact(message.exercise_id);
  Receipt receipt;
  if (stored == nullptr) {
    // Only an ask starts one; anything else for an exercise unknown here is left alone.
    if (message.kind != protocol::ExerciseMessage::Kind::kAsk) return receipt;
    book.Add(protocol::ExerciseExchange::Asked(message), ExerciseRecords::Now(journal_));
    ATTUNE_RETURN_IF_ERROR(book.Save());
    ATTUNE_RETURN_IF_ERROR(txn.Commit());
    receipt.news = true;
    return receipt;
  }
  protocol::ExerciseExchange exchange = book.Exchange(*stored);
  ATTUNE_ASSIGN_OR_RETURN(std::vector<protocol::ExerciseMessage> reply, exchange.Receive(message));
  receipt.reply = NotSentYet(std::move(reply));
  if (exchange.state() != stored->state) {
    receipt.news = message.kind != protocol::ExerciseMessage::Kind::kWithdraw;
    stored->state = exchange.state();
    ATTUNE_RETURN_IF_ERROR(book.Save());
    ATTUNE_RETURN_IF_ERROR(txn.Commit());
  }
  return receipt;
}

}  // namespace attune::node
