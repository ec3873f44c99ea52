#include "cli/sharing.h"

#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/console.h"
#include "cli/format.h"
#include "cli/layout.h"
#include "node/shared_content.h"
#include "steps/kinds.h"
#include "steps/quiz.h"

namespace attune::cli {
namespace {

using nlohmann::json;

// A scalar as a person reads it: strings as they are (made printable), numbers as numbers.
std::string Scalar(const json& value) {
  if (value.is_string()) return Printable(value.get<std::string>());
  if (value.is_number_float()) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value.get<double>());
    return buffer;
  }
  return Printable(value.dump());
}

std::string Label(const std::string& key) {
  if (key == "feel") return "I feel";
  if (key == "when") return "when";
  if (key == "need") return "I feel loved and connected when";
  if (key == "quiz_version") return "quiz version";
  if (key == "responds_to") return "responds to your entry";
  if (key == "responds_to_kind") return "which is a";
  if (key == "ack") return "acknowledgement";
  return Printable(key);
}

void DescribeRestatements(std::ostringstream& out, const json& list) {
  out << "  restated " << list.size() << (list.size() == 1 ? " time" : " times")
      << " (with the notes below):\n";
  for (const json& item : list) {
    out << "    " << (item.is_object() && item.contains("at") ? Scalar(item["at"]) : "?");
    if (item.is_object() && item.contains("note")) out << "  " << Scalar(item["note"]);
    out << "\n";
  }
}

// Every field that travels, in words; nothing is left out, unknown ones shown as they are.
void DescribeFields(std::ostringstream& out, const json& fields) {
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    const std::string& key = it.key();
    const json& value = it.value();
    if (key == "restatements" && value.is_array()) {
      DescribeRestatements(out, value);
    } else if (key == std::string(node::kQuizAnswersField) && value.is_array()) {
      out << "  your answers to the " << value.size() << " quiz items:";
      for (const json& answer : value) out << " " << Scalar(answer);
      out << "\n";
    } else if (value.is_object()) {
      out << "  " << Label(key) << ":";
      for (auto part = value.begin(); part != value.end(); ++part) {
        out << " " << Printable(part.key()) << " " << Scalar(part.value())
            << (key == "blend" ? "%" : "");
      }
      out << "\n";
    } else if (value.is_array()) {
      out << "  " << Label(key) << ": " << Printable(value.dump()) << "\n";
    } else {
      out << "  " << Label(key) << ": " << Scalar(value) << "\n";
    }
  }
}

}  // namespace

Status ConfirmKindForSharing(std::string_view kind, bool yes) {
  Result<const steps::KindInfo*> info = steps::FindKind(kind);
  if (!info.ok() || (*info)->meant_for_sharing) return Status::Ok();
  return Confirm("A " + std::string(kind) +
                     " is usually kept private: it can hold raw and tender things. Share it "
                     "anyway?",
                 yes);
}

std::string SharePreviewText(const node::SharePreview& preview) {
  const node::Entry& view = preview.view;
  std::ostringstream out;
  out << "  " << view.kind << " · written " << LocalTime(view.created);
  if (view.updated.utc_ms != view.created.utc_ms) out << ", edited " << LocalTime(view.updated);
  out << "\n";
  // Wrapped to the terminal at spaces: what the partner will read, never split inside a word.
  const auto width = static_cast<size_t>(TerminalWidth());
  std::istringstream lines(Printable(view.text));
  for (std::string line; std::getline(lines, line);) out << Paragraph(line, width, "  | ", "  | ");
  if (!view.tags.empty()) {
    out << "  tags:";
    for (const std::string& tag : view.tags) out << " #" << Printable(tag);
    out << "\n";
  }
  if (!view.links.empty()) {
    out << "  linked to " << view.links.size() << " of your entries (by id):";
    for (const std::string& link : view.links) out << " " << link.substr(0, 8);
    out << "\n";
  }
  DescribeFields(out, view.fields);
  if (preview.answers_withheld) {
    out << Paragraph("Your answers to the " + std::to_string(steps::kQuizItemCount) +
                         " quiz items stay private: only the scores and the blend are shared. "
                         "(`attune share " +
                         view.id.substr(0, 8) + " --with-answers` would include them.)",
                     width, "  ", "  ");
  }
  return out.str();
}

json SharePreviewJson(const node::SharePreview& preview) {
  json out = node::EntryToJson(preview.view);
  out.erase("author");
  out.erase("visibility");
  return out;
}

Result<NewVersion> OfferNewVersion(node::Journal& journal, const node::Entry& changed, bool yes) {
  if (changed.author != node::Author::kMe || changed.visibility != node::Visibility::kShared)
    return NewVersion::kNotShared;
  ATTUNE_ASSIGN_OR_RETURN(node::SharePreview preview, journal.PreviewShare(changed.id));
  if (preview.partner_has_it) return NewVersion::kUnchanged;
  if (!yes) {
    if (!StdinIsTty()) return NewVersion::kWaiting;
    ATTUNE_ASSIGN_OR_RETURN(std::string name, journal.PartnerName());
    std::cerr << "This entry is shared. This is what " << Printable(name)
              << " would see of the new version:\n\n"
              << SharePreviewText(preview) << "\n";
    const Status answer = Confirm("Send this new version to " + Printable(name) + "?", false);
    if (answer.code() == StatusCode::kCancelled) return NewVersion::kWaiting;
    ATTUNE_RETURN_IF_ERROR(answer);
  }
  ATTUNE_RETURN_IF_ERROR(journal.ConfirmShare(preview).status());
  return NewVersion::kSent;
}

void SayNewVersion(NewVersion outcome, const std::string& partner, const std::string& entry_id) {
  const std::string who = Printable(partner);
  switch (outcome) {
    case NewVersion::kNotShared:
    case NewVersion::kUnchanged:
      return;
    case NewVersion::kSent:
      std::cout << "The new version reaches " << who << " at the next sync.\n";
      return;
    case NewVersion::kWaiting:
      std::cout << who << " keeps the version you shared before. This one waits until you "
                << "confirm it: `attune share " << entry_id.substr(0, 8)
                << "` shows it and sends it.\n";
      return;
  }
}

}  // namespace attune::cli
