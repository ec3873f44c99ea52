#include "node/ui/ui_api.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include "base/bytes.h"
#include "node/exercises.h"
#include "node/journal/bounded_json.h"
#include "node/link.h"
#include "node/style_result.h"
#include "node/ui.h"
#include "steps/boundary_check.h"
#include "steps/exercises.h"
#include "steps/kinds.h"
#include "steps/quiz.h"
#include "steps/statement_check.h"
#include "steps/steps_guide.h"
#include "steps/themes.h"

namespace attune::node::ui {
namespace {

using nlohmann::json;

Status BadRequest(std::string detail) {
  return Status::InvalidArgument(std::move(detail)).WithReason(UiReason::kBadRequest);
}

// The request's body as the JSON object a route expects ("{}" when empty).
Result<json> BodyObject(std::string_view body) {
  if (body.empty()) return json::object();
  json parsed = ParseBoundedJson(body);
  if (parsed.is_discarded() || !parsed.is_object()) return BadRequest("not a JSON object");
  return parsed;
}

Result<std::string> StringField(const json& body, const char* name, bool required) {
  const auto found = body.find(name);
  if (found == body.end() || found->is_null()) {
    if (required) return BadRequest(std::string("no \"") + name + "\"");
    return std::string();
  }
  if (!found->is_string()) return BadRequest(std::string("\"") + name + "\" is not text");
  return found->get<std::string>();
}

Result<std::vector<std::string>> StringList(const json& body, const char* name) {
  std::vector<std::string> out;
  const auto found = body.find(name);
  if (found == body.end() || found->is_null()) return out;
  if (!found->is_array()) return BadRequest(std::string("\"") + name + "\" is not a list");
  for (const json& item : *found) {
    if (!item.is_string()) return BadRequest(std::string("\"") + name + "\" holds a non-text");
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<bool> OptionalBool(const json& body, const char* name) {
  const auto found = body.find(name);
  if (found == body.end() || !found->is_boolean()) return std::nullopt;
  return found->get<bool>();
}

std::string_view DeliveryName(DeliveryState state) {
  switch (state) {
    case DeliveryState::kWaiting:
      return "waiting";
    case DeliveryState::kDelivered:
      return "delivered";
    case DeliveryState::kWithdrawing:
      return "withdrawing";
    case DeliveryState::kWithdrawn:
      return "withdrawn";
  }
  return "waiting";
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Whether every word occurs in the entry's text or tags (ASCII case-insensitive), as `search`.
bool MatchesWords(const Entry& entry, const std::vector<std::string>& words) {
  std::string haystack = Lower(entry.text);
  for (const std::string& tag : entry.tags) haystack += "\n" + Lower(tag);
  return std::all_of(words.begin(), words.end(), [&](const std::string& word) {
    return haystack.find(word) != std::string::npos;
  });
}

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!current.empty()) words.push_back(Lower(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) words.push_back(Lower(current));
  return words;
}

Result<ListFilter> FilterFrom(const std::map<std::string, std::string>& query) {
  ListFilter filter;
  auto value = [&](const char* name) -> std::optional<std::string> {
    const auto found = query.find(name);
    if (found == query.end() || found->second.empty()) return std::nullopt;
    return found->second;
  };
  if (auto author = value("author")) {
    if (*author == "all") {
      filter.author = std::nullopt;
    } else if (std::optional<Author> parsed = ParseAuthor(*author)) {
      filter.author = *parsed;
    } else {
      return BadRequest("author is me, partner, former or all");
    }
  }
  if (auto kind = value("kind")) filter.kind = *kind;
  if (auto tag = value("tag")) filter.tag = *tag;
  if (auto step = value("step")) {
    if (step->size() != 1 || (*step)[0] < '1' || (*step)[0] > '9') {
      return BadRequest("step is 1 to 9");
    }
    filter.step = (*step)[0] - '0';
  }
  if (auto since = value("since")) {
    Result<Timestamp> at = ParseRfc3339(*since);
    if (!at.ok()) return BadRequest("since is an RFC 3339 time");
    filter.since_utc_ms = at->utc_ms;
  }
  filter.shared_only = value("shared") == std::optional<std::string>("1");
  return filter;
}

json KindJson(const steps::KindInfo& kind) {
  return {{"name", kind.name},
          {"step", kind.step},
          {"description", kind.description},
          {"meant_for_sharing", kind.meant_for_sharing}};
}

// A quiz result as the page draws it: both scores, the blend and its words.
json StyleResultJson(const Entry& entry, const steps::QuizScore& score) {
  json blend = json::object();
  for (int style = 0; style < steps::kStyleCount; ++style) {
    blend[std::string(steps::StyleShortName(static_cast<steps::Style>(style)))] =
        score.blend_percent[static_cast<size_t>(style)];
  }
  return {{"entry_id", entry.id},
          {"created", FormatRfc3339(entry.created)},
          {"anxiety", score.anxiety},
          {"avoidance", score.avoidance},
          {"primary", steps::StyleShortName(score.primary)},
          {"blend", std::move(blend)},
          {"described", steps::DescribeBlend(score)}};
}

// A statement's three parts as `attune statement` composes them: its text and its fields.
struct ComposedStatement {
  std::string text;
  json fields;
};

Result<ComposedStatement> ComposeParts(const json& parts) {
  if (!parts.is_object()) return BadRequest("\"parts\" is not an object");
  ATTUNE_ASSIGN_OR_RETURN(std::string feel, StringField(parts, "feel", true));
  ATTUNE_ASSIGN_OR_RETURN(std::string when, StringField(parts, "when", true));
  ATTUNE_ASSIGN_OR_RETURN(std::string need, StringField(parts, "need", true));
  ATTUNE_RETURN_IF_ERROR(steps::ValidateStatementParts(feel, when, need));
  const steps::StatementParts clean = steps::NormalizeStatementParts(feel, when, need);
  return ComposedStatement{steps::ComposeStatement(clean.feel, clean.when, clean.need),
                           {{"feel", clean.feel}, {"when", clean.when}, {"need", clean.need}}};
}

// The exercises there are, with what each asks: the same for both partners (steps/exercises.h).
json ExerciseCatalogue() {
  json catalogue = json::array();
  for (const steps::ExerciseGuide& guide : steps::AllExercises()) {
    json questions = json::array();
    for (std::string_view question : guide.questions) questions.push_back(question);
    catalogue.push_back({{"name", guide.name},
                         {"step", guide.step},
                         {"title", guide.title},
                         {"purpose", guide.purpose},
                         {"questions", std::move(questions)}});
  }
  return catalogue;
}

json NotesJson(const std::vector<steps::PhrasingNote>& found) {
  json notes = json::array();
  for (const steps::PhrasingNote& note : found) {
    notes.push_back({{"part", note.part},
                     {"found", note.found},
                     {"why", note.why},
                     {"suggestion", note.suggestion}});
  }
  return notes;
}

}  // namespace

Result<JoinRequest> ParseJoinRequest(std::string_view body) {
  ATTUNE_ASSIGN_OR_RETURN(json object, BodyObject(body));
  JoinRequest join;
  ATTUNE_ASSIGN_OR_RETURN(join.code, StringField(object, "code", true));
  ATTUNE_ASSIGN_OR_RETURN(std::string address, StringField(object, "address", false));
  if (!address.empty()) {
    ATTUNE_ASSIGN_OR_RETURN(join.inviter, ParseEndpoint(address, kDefaultPairPort));
  }
  return join;
}

Result<ApiAnswer> Api::Answer(const Decision& request, std::string_view body, const LinkView& link,
                              int idle_lock_minutes) {
  const std::string_view method = request.route->method;
  const std::string_view pattern = request.route->pattern;
  const auto id = request.params.find("id");
  const std::string entry_id = id == request.params.end() ? std::string() : id->second;
  ATTUNE_ASSIGN_OR_RETURN(json object, BodyObject(body));
  if (pattern == "/api/overview") return Overview(link, idle_lock_minutes);
  if (pattern == "/api/steps/{n}") return Step(request);
  if (pattern == "/api/entries") {
    return method == "GET" ? ListEntries(request) : AddEntry(object);
  }
  if (pattern == "/api/entries/{id}") {
    if (method == "GET") return OneEntry(entry_id);
    if (method == "PATCH") return EditEntry(entry_id, object);
    return DeleteEntry(entry_id);
  }
  if (pattern == "/api/entries/{id}/preview") return Preview(entry_id, object);
  if (pattern == "/api/entries/{id}/share") return Share(entry_id, object);
  if (pattern == "/api/entries/{id}/unshare") return Unshare(entry_id);
  if (pattern == "/api/entries/{id}/respond") return Respond(entry_id, object);
  if (pattern == "/api/entries/{id}/restate") return Restate(entry_id, object);
  if (pattern == "/api/entries/{id}/restore") return RestoreEntry(entry_id);
  if (pattern == "/api/themes") return Themes();
  if (pattern == "/api/statement/check") return CheckStatement(object);
  if (pattern == "/api/boundary/check") return CheckBoundary(object);
  if (pattern == "/api/shared") return Shared();
  if (pattern == "/api/quiz") return method == "GET" ? Quiz() : RecordQuiz(object);
  if (pattern == "/api/style") return Styles();
  if (pattern == "/api/unpair") return Unpair(object);
  if (pattern == "/api/exercises") return method == "GET" ? ListExercises() : AskExercise(object);
  if (pattern == "/api/exercises/{id}/answer") return AnswerExercise(entry_id, object);
  if (pattern == "/api/exercises/{id}/withdraw") return WithdrawExercise(entry_id);
  return Status::Internal("a route without an answer: " + std::string(pattern));
}

Result<ApiAnswer> Api::Overview(const LinkView& link, int idle_lock_minutes) {
  ATTUNE_ASSIGN_OR_RETURN(std::string name, journal_.Name());
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, journal_.GetPartner());
  json out = {{"name", name}, {"paired", partner.has_value()}, {"partner", nullptr}};
  if (partner) {
    ATTUNE_ASSIGN_OR_RETURN(crypto::X25519PublicKey own, journal_.LinkPublicKey());
    out["partner"] = {
        {"name", partner->display_name},
        {"safety_number", PairSafetyNumber(own, partner->public_key)},
        {"own_fingerprint", KeyFingerprint(own)},
        {"partner_fingerprint", KeyFingerprint(partner->public_key)},
        {"last_contact",
         partner->last_contact ? json(FormatRfc3339(*partner->last_contact)) : json(nullptr)}};
  }
  std::string_view state = "not_paired";
  if (partner) state = link.connected ? "connected" : "not_connected";
  json path = nullptr;
  if (link.connected) path = link.through_tor ? "tor" : "direct";
  out["link"] = {{"state", state}, {"path", path}};
  json kinds = json::array();
  for (const steps::KindInfo& kind : steps::AllKinds()) kinds.push_back(KindJson(kind));
  out["kinds"] = std::move(kinds);
  ATTUNE_ASSIGN_OR_RETURN(auto counts, journal_.CountByKind());
  const std::vector<steps::StepProgress> progress = steps::ComputeProgress(counts);
  json list = json::array();
  for (const steps::StepProgress& step : progress) {
    list.push_back({{"step", step.step},
                    {"title", steps::AllSteps()[step.step - 1].title},
                    {"summary", step.summary},
                    {"started", step.started},
                    {"complete", step.complete},
                    {"next_kind", step.next_kind}});
  }
  out["steps"] = std::move(list);
  // Where the partner is, as far as what they shared shows (never what they keep private).
  out["partner_steps"] = nullptr;
  if (partner) {
    ATTUNE_ASSIGN_OR_RETURN(const auto their_counts, journal_.CountPartnerByKind());
    json shared = json::array();
    for (const steps::StepProgress& step : steps::ComputeProgress(their_counts)) {
      shared.push_back({{"step", step.step},
                        {"summary", step.summary},
                        {"started", step.started},
                        {"complete", step.complete}});
    }
    out["partner_steps"] = std::move(shared);
  }
  const std::optional<int> next = steps::SuggestedNextStep(progress);
  out["suggested_step"] = next ? json(*next) : json(nullptr);
  out["idle_lock_minutes"] = idle_lock_minutes;
  return ApiAnswer{200, std::move(out)};
}

Result<ApiAnswer> Api::Step(const Decision& request) {
  const std::string& text = request.params.at("n");
  if (text.size() != 1 || text[0] < '1' || text[0] > '9') return BadRequest("steps are 1 to 9");
  ATTUNE_ASSIGN_OR_RETURN(const steps::StepGuide* step, steps::FindStep(text[0] - '0'));
  json kinds = json::array();
  for (const steps::KindGuide& kind : step->kinds) {
    kinds.push_back({{"name", kind.name},
                     {"description", kind.description},
                     {"meant_for_sharing", kind.meant_for_sharing},
                     {"suggested", kind.suggested}});
  }
  json prompts = json::array();
  for (std::string_view prompt : step->prompts) prompts.push_back(prompt);
  return ApiAnswer{200,
                   {{"step", step->number},
                    {"title", step->title},
                    {"guidance", step->guidance},
                    {"prompts", std::move(prompts)},
                    {"kinds", std::move(kinds)}}};
}

Result<json> Api::EntryViews(const std::vector<Entry>& entries) {
  ATTUNE_ASSIGN_OR_RETURN(auto short_ids, journal_.ShortIds());
  ATTUNE_ASSIGN_OR_RETURN(auto delivery, journal_.DeliveryOf(entries));
  json out = json::array();
  for (const Entry& entry : entries) {
    json view = EntryToJson(entry);
    view["short_id"] = short_ids.count(entry.id) ? short_ids[entry.id] : entry.id.substr(0, 8);
    const auto found = delivery.find(entry.id);
    const bool known = found != delivery.end();
    view["delivery"] = known ? json(DeliveryName(found->second.state)) : json(nullptr);
    view["awaiting_confirmation"] = known && found->second.awaiting_confirmation;
    out.push_back(std::move(view));
  }
  return out;
}

Result<json> Api::EntryView(const Entry& entry) {
  ATTUNE_ASSIGN_OR_RETURN(json views, EntryViews({entry}));
  return std::move(views[0]);
}

Result<ApiAnswer> Api::ListEntries(const Decision& request) {
  ATTUNE_ASSIGN_OR_RETURN(ListFilter filter, FilterFrom(request.query));
  ATTUNE_ASSIGN_OR_RETURN(std::vector<Entry> entries, journal_.List(filter));
  const auto q = request.query.find("q");
  if (q != request.query.end()) {
    const std::vector<std::string> words = Words(q->second);
    std::erase_if(entries, [&](const Entry& entry) { return !MatchesWords(entry, words); });
  }
  // A long journal is shown a page at a time: the newest `limit` of those that match, still
  // oldest first, and how many match in all.
  const size_t total = entries.size();
  const auto limit = request.query.find("limit");
  if (limit != request.query.end()) {
    size_t most = 0;
    const auto [end, failed] =
        std::from_chars(limit->second.data(), limit->second.data() + limit->second.size(), most);
    if (failed != std::errc() || end != limit->second.data() + limit->second.size() || most == 0) {
      return BadRequest("limit is a whole number from 1");
    }
    if (most < entries.size()) entries.erase(entries.begin(), entries.end() - most);
  }
  ATTUNE_ASSIGN_OR_RETURN(json views, EntryViews(entries));
  return ApiAnswer{200, {{"entries", std::move(views)}, {"total", total}}};
}

Result<ApiAnswer> Api::AddEntry(const json& body) {
  NewEntry draft;
  ATTUNE_ASSIGN_OR_RETURN(draft.kind, StringField(body, "kind", true));
  ATTUNE_ASSIGN_OR_RETURN(draft.tags, StringList(body, "tags"));
  ATTUNE_ASSIGN_OR_RETURN(draft.links, StringList(body, "links"));
  if (draft.kind == "statement" && body.contains("parts")) {
    ATTUNE_ASSIGN_OR_RETURN(ComposedStatement composed, ComposeParts(body["parts"]));
    draft.text = std::move(composed.text);
    draft.fields = std::move(composed.fields);
  } else {
    ATTUNE_ASSIGN_OR_RETURN(draft.text, StringField(body, "text", true));
  }
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, journal_.Add(std::move(draft)));
  ATTUNE_ASSIGN_OR_RETURN(json view, EntryView(entry));
  return ApiAnswer{201, {{"entry", std::move(view)}}};
}

Result<ApiAnswer> Api::OneEntry(const std::string& id) {
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, journal_.Get(id));
  ATTUNE_ASSIGN_OR_RETURN(json view, EntryView(entry));
  return ApiAnswer{200, {{"entry", std::move(view)}}};
}

Result<ApiAnswer> Api::EditEntry(const std::string& id, const json& body) {
  Entry entry;
  if (body.contains("parts")) {  // a statement, re-composed from its parts
    ATTUNE_ASSIGN_OR_RETURN(ComposedStatement composed, ComposeParts(body["parts"]));
    ATTUNE_ASSIGN_OR_RETURN(
        entry, journal_.RecomposeStatement(id, composed.fields, std::move(composed.text)));
  } else {
    ATTUNE_ASSIGN_OR_RETURN(std::string text, StringField(body, "text", true));
    ATTUNE_ASSIGN_OR_RETURN(entry, journal_.EditText(id, std::move(text)));
  }
  ATTUNE_ASSIGN_OR_RETURN(json view, EntryView(entry));
  return ApiAnswer{200, {{"entry", std::move(view)}}};
}

Result<ApiAnswer> Api::DeleteEntry(const std::string& id) {
  ATTUNE_ASSIGN_OR_RETURN(std::string full, journal_.ResolveId(id));
  // As `attune rm`: to the trash; one that failed its integrity check cannot be read back, so
  // it goes for good.
  Result<Entry> entry = journal_.Get(full);
  if (entry.status().Is(JournalReason::kEntryDamaged)) {
    ATTUNE_RETURN_IF_ERROR(journal_.Remove(full));
    return ApiAnswer{200, {{"deleted", full}}};
  }
  ATTUNE_RETURN_IF_ERROR(entry.status());
  ATTUNE_RETURN_IF_ERROR(journal_.MoveToTrash(full).status());
  return ApiAnswer{200, {{"trashed", full}}};
}

Result<ApiAnswer> Api::RestoreEntry(const std::string& id) {
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, journal_.RestoreFromTrash(id));
  ATTUNE_ASSIGN_OR_RETURN(json view, EntryView(entry));
  return ApiAnswer{200, {{"entry", std::move(view)}}};
}

Result<ApiAnswer> Api::Preview(const std::string& id, const json& body) {
  ATTUNE_ASSIGN_OR_RETURN(
      SharePreview preview,
      journal_.PreviewShare(id, {.with_answers = OptionalBool(body, "with_answers")}));
  json view = EntryToJson(preview.view);
  // The partner sees neither whose nor how visible it is here: those are this journal's facts.
  view.erase("author");
  view.erase("visibility");
  return ApiAnswer{200,
                   {{"preview",
                     {{"entry_id", preview.entry_id},
                      {"view", std::move(view)},
                      {"digest", ToHex(preview.digest)},
                      {"answers_withheld", preview.answers_withheld},
                      {"answers_included", preview.answers_included},
                      {"partner_has_it", preview.partner_has_it}}}}};
}

Result<ApiAnswer> Api::Share(const std::string& id, const json& body) {
  ATTUNE_ASSIGN_OR_RETURN(std::string digest, StringField(body, "digest", true));
  ATTUNE_ASSIGN_OR_RETURN(
      SharePreview preview,
      journal_.PreviewShare(id, {.with_answers = OptionalBool(body, "with_answers")}));
  // Shares only what the page showed: the digest it was shown must be today's.
  if (ToHex(preview.digest) != digest) {
    return Status::Busy("the entry changed since its preview")
        .WithReason(JournalReason::kChangedSincePreview);
  }
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, journal_.ConfirmShare(preview));
  ATTUNE_ASSIGN_OR_RETURN(json view, EntryView(entry));
  return ApiAnswer{200, {{"entry", std::move(view)}}};
}

Result<ApiAnswer> Api::Unshare(const std::string& id) {
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, journal_.Unshare(id));
  ATTUNE_ASSIGN_OR_RETURN(json view, EntryView(entry));
  return ApiAnswer{200, {{"entry", std::move(view)}}};
}

Result<ApiAnswer> Api::Respond(const std::string& id, const json& body) {
  ATTUNE_ASSIGN_OR_RETURN(std::string text, StringField(body, "text", true));
  ATTUNE_ASSIGN_OR_RETURN(std::string ack, StringField(body, "ack", false));
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, journal_.Respond(id, std::move(text), ack));
  ATTUNE_ASSIGN_OR_RETURN(json view, EntryView(entry));
  return ApiAnswer{201, {{"entry", std::move(view)}}};
}

Result<ApiAnswer> Api::Restate(const std::string& id, const json& body) {
  ATTUNE_ASSIGN_OR_RETURN(std::string note, StringField(body, "note", false));
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, journal_.RestateBoundary(id, std::move(note)));
  ATTUNE_ASSIGN_OR_RETURN(json view, EntryView(entry));
  return ApiAnswer{200, {{"entry", std::move(view)}}};
}

Result<ApiAnswer> Api::Themes() {
  ATTUNE_ASSIGN_OR_RETURN(steps::Themes themes, journal_.TriggerThemes());
  return ApiAnswer{200, ThemesToJson(themes)};
}

Result<ApiAnswer> Api::CheckBoundary(const json& body) {
  ATTUNE_ASSIGN_OR_RETURN(std::string text, StringField(body, "text", false));
  return ApiAnswer{200, {{"notes", NotesJson(steps::CheckBoundary(text))}}};
}

Result<ApiAnswer> Api::CheckStatement(const json& body) {
  ATTUNE_ASSIGN_OR_RETURN(std::string feel, StringField(body, "feel", false));
  ATTUNE_ASSIGN_OR_RETURN(std::string when, StringField(body, "when", false));
  ATTUNE_ASSIGN_OR_RETURN(std::string need, StringField(body, "need", false));
  const steps::StatementParts clean = steps::NormalizeStatementParts(feel, when, need);
  return ApiAnswer{200,
                   {{"text", steps::ComposeStatement(clean.feel, clean.when, clean.need)},
                    {"complete", steps::ValidateStatementParts(feel, when, need).ok()},
                    {"notes", NotesJson(steps::CheckStatement(feel, when, need))},
                    {"safety_concern", !steps::FindSafetyConcern(feel, when, need).empty()}}};
}

Result<ApiAnswer> Api::Shared() {
  ATTUNE_ASSIGN_OR_RETURN(std::vector<SharedItem> items, journal_.SharedItems());
  json list = json::array();
  for (const SharedItem& item : items) {
    json entry = nullptr;
    if (item.entry) {
      ATTUNE_ASSIGN_OR_RETURN(entry, EntryView(*item.entry));
    }
    list.push_back({{"entry_id", item.entry_id},
                    {"state", DeliveryName(item.state)},
                    {"awaiting_confirmation", item.awaiting_confirmation},
                    {"damaged", item.damaged},
                    {"entry", std::move(entry)}});
  }
  return ApiAnswer{200, {{"items", std::move(list)}}};
}

Result<ApiAnswer> Api::Quiz() {
  json items = json::array();
  for (const steps::QuizItem& item : steps::QuizItems()) {
    items.push_back({{"number", item.number}, {"text", item.text}});
  }
  json scale = json::array();
  for (std::string_view label : steps::AnswerScaleLabels()) scale.push_back(label);
  json styles = json::array();
  for (int style = 0; style < steps::kStyleCount; ++style) {
    const auto which = static_cast<steps::Style>(style);
    styles.push_back({{"name", steps::StyleShortName(which)},
                      {"display", steps::StyleDisplayName(which)},
                      {"summary", steps::StyleSummary(which)}});
  }
  return ApiAnswer{200,
                   {{"items", std::move(items)},
                    {"scale", std::move(scale)},
                    {"scale_description", steps::AnswerScaleDescription()},
                    {"disclaimer", steps::QuizDisclaimer()},
                    {"styles", std::move(styles)}}};
}

Result<ApiAnswer> Api::RecordQuiz(const json& body) {
  const auto found = body.find("answers");
  if (found == body.end() || !found->is_array()) return BadRequest("no \"answers\" list");
  std::vector<int> answers;
  for (const json& answer : *found) {
    if (!answer.is_number_integer()) return BadRequest("an answer that is not a whole number");
    answers.push_back(answer.get<int>());
  }
  ATTUNE_ASSIGN_OR_RETURN(steps::QuizScore score, steps::ScoreQuiz(answers));
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, journal_.RecordQuiz(score, answers));
  ATTUNE_ASSIGN_OR_RETURN(json view, EntryView(entry));
  return ApiAnswer{201, {{"entry", std::move(view)}, {"result", StyleResultJson(entry, score)}}};
}

Result<ApiAnswer> Api::Styles() {
  // A style entry that is not a stored quiz result (one added as text) is left out: it has no
  // scores to draw.
  auto results = [this](Author author) -> Result<json> {
    ATTUNE_ASSIGN_OR_RETURN(std::vector<Entry> entries,
                            journal_.List({.kind = "style", .author = author}));
    json list = json::array();
    for (const Entry& entry : entries) {
      Result<steps::QuizScore> score = QuizScoreFromJson(entry.fields);
      if (score.ok()) list.push_back(StyleResultJson(entry, *score));
    }
    return list;
  };
  ATTUNE_ASSIGN_OR_RETURN(json own, results(Author::kMe));
  ATTUNE_ASSIGN_OR_RETURN(json partner, results(Author::kPartner));
  return ApiAnswer{
      200,
      {{"history", std::move(own)}, {"partner", partner.empty() ? json(nullptr) : partner.back()}}};
}

Result<ApiAnswer> Api::Unpair(const json& body) {
  const bool keep = OptionalBool(body, "keep_entries").value_or(true);
  ATTUNE_ASSIGN_OR_RETURN(int64_t withdrawn, journal_.Unpair(keep));
  return ApiAnswer{200, {{"withdrawn", withdrawn}}};
}

Result<ApiAnswer> Api::ListExercises() {
  json out = {{"catalogue", ExerciseCatalogue()},
              {"paired", false},
              {"exercises", json::array()},
              {"partner_software", {{"lacks_exercises", false}, {"sent_unknown", false}}}};
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, journal_.GetPartner());
  if (!partner) return ApiAnswer{200, std::move(out)};  // the catalogue, to read before pairing
  Exercises exercises(journal_);
  ATTUNE_ASSIGN_OR_RETURN(std::vector<ExerciseView> views, exercises.List());
  ATTUNE_ASSIGN_OR_RETURN(PartnerSoftware seen, exercises.Partner());
  out["paired"] = true;
  for (const ExerciseView& view : views) out["exercises"].push_back(ExerciseToJson(view));
  out["partner_software"] = {{"lacks_exercises", seen.lacks_exercises},
                             {"sent_unknown", seen.sent_unknown}};
  return ApiAnswer{200, std::move(out)};
}

Result<ApiAnswer> Api::AskExercise(const json& body) {
  ATTUNE_ASSIGN_OR_RETURN(std::string name, StringField(body, "name", true));
  ATTUNE_ASSIGN_OR_RETURN(ExerciseView view, Exercises(journal_).Ask(name));
  return ApiAnswer{201, {{"exercise", ExerciseToJson(view)}}};
}

Result<ApiAnswer> Api::AnswerExercise(const std::string& id, const json& body) {
  ATTUNE_ASSIGN_OR_RETURN(std::string answer, StringField(body, "answer", true));
  ATTUNE_ASSIGN_OR_RETURN(ExerciseView view, Exercises(journal_).Answer(id, std::move(answer)));
  return ApiAnswer{200, {{"exercise", ExerciseToJson(view)}}};
}

Result<ApiAnswer> Api::WithdrawExercise(const std::string& id) {
  ATTUNE_ASSIGN_OR_RETURN(ExerciseView view, Exercises(journal_).Withdraw(id));
  return ApiAnswer{200, {{"exercise", ExerciseToJson(view)}}};
}

}  // namespace attune::node::ui
