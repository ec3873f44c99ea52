#include "steps/statement_check.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <optional>
#include <string>
#include <utility>

#include "base/text_util.h"
#include "steps/words.h"

namespace attune::steps {
namespace {

// A phrase to notice, with why it can land badly and another way to say it.
// Phrases are lowercase words separated by single spaces.
struct PhraseRule {
  std::string_view phrase;
  std::string_view why;
  std::string_view suggestion;
};

constexpr std::string_view kAbsoluteWhy =
    "Words like \"always\" and \"never\" turn one moment into a verdict on the whole "
    "relationship, and a partner often ends up defending the exceptions instead of hearing "
    "the feeling.";
constexpr std::string_view kAbsoluteSuggestion =
    "you might describe one specific, recent moment instead, for example \"last night when ...\" "
    "or \"sometimes when ...\"";

constexpr std::string_view kThoughtWhy =
    "\"I feel like ...\" and \"I feel that ...\" usually introduce a thought or an "
    "interpretation rather than a feeling, and thoughts about a partner are easier to argue "
    "with than feelings are.";
constexpr std::string_view kThoughtSuggestion =
    "you might try one feeling word on its own, such as sad, scared, lonely or overwhelmed";

constexpr std::string_view kInstructionWhy =
    "\"You should\" and \"you need to\" can sound like an instruction or a judgement, which "
    "tends to invite defence rather than closeness.";
constexpr std::string_view kInstructionSuggestion =
    "you might describe what would help you instead, for example \"when we sit together for a "
    "few minutes after work\"";

constexpr std::string_view kCauseWhy =
    "\"You make me ...\" hands your partner responsibility for your feeling, which can sound "
    "like blame even when it isn't meant that way.";
constexpr std::string_view kCauseSuggestion =
    "the \"I feel ... when ...\" shape already links the feeling to the moment, so you might "
    "simply describe what happened";

constexpr std::string_view kFaultWhy =
    "Talking about fault turns the moment into a question of who is to blame, which makes it "
    "hard for either of you to feel safe.";
constexpr std::string_view kFaultSuggestion =
    "you might describe what happened and how it felt, and leave blame out of it";

constexpr PhraseRule kAnyPartRules[] = {
    {"always", kAbsoluteWhy, kAbsoluteSuggestion},
    {"never", kAbsoluteWhy, kAbsoluteSuggestion},
    {"every time", kAbsoluteWhy, kAbsoluteSuggestion},
    {"every single time", kAbsoluteWhy, kAbsoluteSuggestion},
    {"constantly", kAbsoluteWhy, kAbsoluteSuggestion},
    {"all the time", kAbsoluteWhy, kAbsoluteSuggestion},
    {"i feel that", kThoughtWhy, kThoughtSuggestion},
    {"i feel like", kThoughtWhy, kThoughtSuggestion},
    {"i feel as if", kThoughtWhy, kThoughtSuggestion},
    {"i feel as though", kThoughtWhy, kThoughtSuggestion},
    {"you should", kInstructionWhy, kInstructionSuggestion},
    {"you shouldn't", kInstructionWhy, kInstructionSuggestion},
    {"you need to", kInstructionWhy, kInstructionSuggestion},
    {"you have to", kInstructionWhy, kInstructionSuggestion},
    {"you make me", kCauseWhy, kCauseSuggestion},
    {"you made me", kCauseWhy, kCauseSuggestion},
    {"your fault", kFaultWhy, kFaultSuggestion},
};

// Each word names something a partner did (or is believed to have done); the
// feelings listed are common ones underneath it, offered as a starting point.
struct PartnerActionWord {
  std::string_view word;
  std::string_view feelings;
};

constexpr PartnerActionWord kPartnerActionTable[] = {
    {"ignored", "lonely, hurt or unimportant"},
    {"rejected", "hurt, sad or alone"},
    {"abandoned", "scared, alone or panicky"},
    {"manipulated", "confused, uneasy or wary"},
    {"attacked", "scared, shaken or defensive"},
    {"criticized", "hurt, embarrassed or discouraged"},
    {"criticised", "hurt, embarrassed or discouraged"},
    {"disrespected", "hurt, small or angry"},
    {"betrayed", "shocked, hurt or heartbroken"},
    {"neglected", "lonely, sad or tired"},
    {"used", "drained, resentful or sad"},
    {"unappreciated", "discouraged, tired or sad"},
    {"dismissed", "frustrated, hurt or discouraged"},
    {"controlled", "tense, restless or frustrated"},
    {"invalidated", "confused, hurt or alone"},
    {"blamed", "defensive, ashamed or tense"},
    {"judged", "embarrassed, anxious or small"},
    {"belittled", "small, ashamed or hurt"},
    {"unheard", "lonely, frustrated or discouraged"},
    {"smothered", "overwhelmed, restless or tense"},
};

constexpr auto kPartnerActionWords = [] {
  std::array<std::string_view, std::size(kPartnerActionTable)> words{};
  for (size_t i = 0; i < words.size(); ++i) words[i] = kPartnerActionTable[i].word;
  return words;
}();

// Where phrase (already split into words) first occurs in words, if it does.
std::optional<size_t> FindPhrase(const std::vector<std::string>& words,
                                 const std::vector<std::string>& phrase) {
  if (phrase.empty() || phrase.size() > words.size()) return std::nullopt;
  const auto it = std::search(words.begin(), words.end(), phrase.begin(), phrase.end());
  if (it == words.end()) return std::nullopt;
  return static_cast<size_t>(it - words.begin());
}

struct Sighting {
  size_t position;
  PhrasingNote note;
};

void NoteIfFound(std::string_view part, const std::vector<std::string>& words,
                 std::string_view phrase, std::string why, std::string suggestion,
                 std::vector<Sighting>& sightings) {
  if (auto at = FindPhrase(words, SplitWords(phrase))) {
    sightings.push_back({*at, PhrasingNote{std::string(part), std::string(phrase), std::move(why),
                                           std::move(suggestion)}});
  }
}

void CheckPartnerActions(const std::vector<std::string>& words, std::vector<Sighting>& sightings) {
  for (const PartnerActionWord& entry : kPartnerActionTable) {
    std::string why = "\"" + std::string(entry.word) +
                      "\" describes what your partner did, or seemed to do, more than how it felt "
                      "inside you, so it can be heard as an accusation even when you mean that "
                      "it hurt.";
    std::string suggestion =
        "you might name the feeling underneath, such as " + std::string(entry.feelings);
    NoteIfFound("feel", words, entry.word, std::move(why), std::move(suggestion), sightings);
  }
}

void CheckPart(std::string_view part, std::vector<std::string> words,
               std::vector<PhrasingNote>& notes) {
  std::vector<Sighting> sightings;
  for (const PhraseRule& rule : kAnyPartRules) {
    NoteIfFound(part, words, rule.phrase, std::string(rule.why), std::string(rule.suggestion),
                sightings);
  }
  if (part == "feel") CheckPartnerActions(words, sightings);
  std::stable_sort(sightings.begin(), sightings.end(),
                   [](const Sighting& a, const Sighting& b) { return a.position < b.position; });
  for (Sighting& sighting : sightings) notes.push_back(std::move(sighting.note));
}

// Removes phrase from the front of text if it is there as whole words.
std::string_view StripLeadIn(std::string_view text, std::string_view phrase) {
  if (!StartsWithIgnoringCase(text, phrase)) return text;
  if (text.size() > phrase.size() && text[phrase.size()] != ' ' && text[phrase.size()] != ',') {
    return text;  // "whenever", "I feeling": not the lead-in
  }
  text.remove_prefix(phrase.size());
  if (!text.empty() && text.front() == ',') text.remove_prefix(1);
  return Trim(text);
}

// Trims, and drops trailing periods (with any spaces between them) so the
// composed sentence supplies its own.
std::string_view StripTrailingPeriods(std::string_view text) {
  text = Trim(text);
  while (!text.empty() && text.back() == '.') {
    text.remove_suffix(1);
    text = Trim(text);
  }
  return text;
}

std::string NormalizeFeel(std::string_view feel) {
  std::string out(StripTrailingPeriods(StripLeadIn(StripTrailingPeriods(feel), "I feel")));
  const bool capitalized_word =
      out.size() >= 2 && out[0] >= 'A' && out[0] <= 'Z' && out[1] >= 'a' && out[1] <= 'z';
  if (capitalized_word) out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

std::string NormalizeWhen(std::string_view when) {
  return std::string(StripTrailingPeriods(StripLeadIn(StripTrailingPeriods(when), "when")));
}

std::string NormalizeNeed(std::string_view need) {
  std::string_view text =
      StripLeadIn(StripTrailingPeriods(need), "I feel loved and connected when");
  return std::string(StripTrailingPeriods(StripLeadIn(text, "when")));
}

}  // namespace

StatementParts NormalizeStatementParts(std::string_view feel, std::string_view when,
                                       std::string_view need) {
  return {NormalizeFeel(feel), NormalizeWhen(when), NormalizeNeed(need)};
}

Status ValidateStatementParts(std::string_view feel, std::string_view when, std::string_view need) {
  const StatementParts parts = NormalizeStatementParts(feel, when, need);
  if (parts.feel.empty()) {
    return Status::InvalidArgument(
        "the feeling is empty; name one feeling, such as hurt, lonely "
        "or scared");
  }
  if (parts.when.empty()) {
    return Status::InvalidArgument(
        "the moment is empty; describe when it happens, such as "
        "\"plans change at the last minute\"");
  }
  if (parts.need.empty()) {
    return Status::InvalidArgument(
        "the need is empty; describe when you feel loved and "
        "connected, such as \"we talk about our day\"");
  }
  return Status::Ok();
}

std::string ComposeStatement(std::string_view feel, std::string_view when, std::string_view need) {
  const StatementParts parts = NormalizeStatementParts(feel, when, need);
  return "I feel " + parts.feel + " when " + parts.when + ". I feel loved and connected when " +
         parts.need + ".";
}

std::string FindSafetyConcern(std::string_view feel, std::string_view when, std::string_view need) {
  // Whole-word phrases, as SplitWords reads them (lowercase).
  static constexpr std::string_view kFearOfThePartner[] = {
      "afraid of you", "scared of you",   "frightened of you", "terrified of you",
      "fear you",      "unsafe with you", "unsafe around you", "threatened",
      "threaten me",   "threatens me",    "you hurt me",       "you hit",
      "you push me",   "you pushed me",   "you grab me",       "you grabbed me"};
  for (std::string_view part : {feel, when, need}) {
    const std::vector<std::string> words = SplitWords(part);
    std::string joined;
    for (const std::string& word : words) joined += " " + word;
    joined += " ";
    for (std::string_view phrase : kFearOfThePartner) {
      if (joined.find(" " + std::string(phrase) + " ") != std::string::npos) {
        return std::string(phrase);
      }
    }
  }
  return "";
}

std::vector<PhrasingNote> CheckStatement(std::string_view feel, std::string_view when,
                                         std::string_view need) {
  std::vector<PhrasingNote> notes;
  if (!FindSafetyConcern(feel, when, need).empty()) return notes;  // no rewording, ever
  // The feel part follows "I feel" in the statement, so it is read that way:
  // "like you don't care" is checked as "i feel like you don't care".
  std::vector<std::string> feel_words = SplitWords(feel);
  if (!(feel_words.size() >= 2 && feel_words[0] == "i" && feel_words[1] == "feel")) {
    feel_words.insert(feel_words.begin(), {"i", "feel"});
  }
  CheckPart("feel", std::move(feel_words), notes);
  CheckPart("when", SplitWords(when), notes);
  CheckPart("need", SplitWords(need), notes);
  return notes;
}

std::span<const std::string_view> PartnerActionWords() {
  return kPartnerActionWords;
}

}  // namespace attune::steps
