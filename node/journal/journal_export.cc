// Export and import: the journal as a backup a person can read (Markdown) or restore (JSON).
#include <algorithm>
#include <set>

#include "node/entry_rules.h"
#include "node/journal.h"
#include "node/journal/bounded_json.h"
#include "node/journal/journal_backing.h"
#include "node/journal_reason.h"
#include "node/style_result.h"

namespace attune::node {
namespace {

using nlohmann::json;

constexpr std::string_view kExportFormat = "attune-export";
constexpr int kExportVersion = 1;

// A link must name an entry in the file or already in the journal.
Status CheckLinksResolve(storage::Database& db, const Entry& entry,
                         const std::set<std::string>& incoming_ids) {
  for (const std::string& link : entry.links) {
    if (incoming_ids.count(link) != 0) continue;
    ATTUNE_ASSIGN_OR_RETURN(std::optional<storage::EntryRow> target, db.GetEntry(link));
    if (!target) {
      return Status::InvalidArgument("entry " + entry.id + " links to " + link +
                                     ", which is neither in the file nor in this journal");
    }
  }
  return Status::Ok();
}

}  // namespace

// For the progress of an export: the own entries it holds.
Result<uint64_t> Journal::CountOwnOutsideTrash() {
  ATTUNE_ASSIGN_OR_RETURN(auto counts, CountByKind());
  uint64_t total = 0;
  for (const auto& [kind, count] : counts) total += static_cast<uint64_t>(count);
  return total;
}

Status Journal::StoreImported(Entry& entry, bool is_new) {
  // A backup restores what its author had shared as shared: the version in the file travels.
  // A version that is private withdraws any shared one, whose log row would otherwise go on
  // offering the entry to the partner.
  entry.share = ShareState{};
  if (entry.visibility == Visibility::kShared) return Publish(entry, is_new);
  ATTUNE_RETURN_IF_ERROR(Store(entry, is_new));
  return Withdraw(entry.id);
}

Result<JournalExport> Journal::ExportEntries(const ProgressCallback& progress) {
  JournalExport exported;
  ATTUNE_ASSIGN_OR_RETURN(exported.name, Name());
  exported.exported = clock_->Now();
  ATTUNE_ASSIGN_OR_RETURN(const uint64_t total, CountOwnOutsideTrash());
  ReportProgress(progress, 0, total);
  ATTUNE_RETURN_IF_ERROR(ForEach({}, [&](Entry& entry) {
    exported.entries.push_back(std::move(entry));
    ReportProgress(progress, exported.entries.size(), total);
    return Status::Ok();
  }));
  return exported;
}

Result<std::string> Journal::ExportJson(const ProgressCallback& progress) {
  ATTUNE_ASSIGN_OR_RETURN(std::string name, Name());
  ATTUNE_ASSIGN_OR_RETURN(const uint64_t total, CountOwnOutsideTrash());
  ReportProgress(progress, 0, total);
  json entries = json::array();
  std::set<std::string> exported;
  ATTUNE_RETURN_IF_ERROR(ForEach({}, [&](Entry& entry) {
    exported.insert(entry.id);
    entries.push_back(EntryToJson(entry));
    ReportProgress(progress, entries.size(), total);
    return Status::Ok();
  }));
  // A link to an entry left out (in the trash, or deleted) would keep the file from importing
  // (ImportEntries resolves every link): the file keeps only links it can resolve.
  for (json& entry : entries) {
    const auto links = entry.find("links");
    if (links == entry.end() || !links->is_array()) continue;
    links->erase(std::remove_if(links->begin(), links->end(),
                                [&](const json& link) {
                                  return !link.is_string() ||
                                         exported.count(link.get<std::string>()) == 0;
                                }),
                 links->end());
  }
  json document = {{"format", kExportFormat},
                   {"version", kExportVersion},
                   {"name", name},
                   {"exported", FormatRfc3339(clock_->Now())},
                   {"entries", std::move(entries)}};
  return document.dump(2) + "\n";
}

Result<ImportSummary> Journal::ImportJson(const std::string& text,
                                          const ProgressCallback& progress) {
  const json document = ParseBoundedJson(text);
  if (document.is_discarded() || !document.is_object()) {
    return Status::InvalidArgument("not JSON").WithReason(JournalReason::kImportNotJson);
  }
  // find() rather than value(): value() throws when a field has an unexpected JSON type.
  const auto format = document.find("format");
  if (format == document.end() || !format->is_string() ||
      format->get<std::string>() != kExportFormat) {
    return Status::InvalidArgument("the file is not an attune export");
  }
  const auto version = document.find("version");
  if (version == document.end() || !version->is_number_integer()) {
    return Status::InvalidArgument("the export has no version number");
  }
  if (version->get<int64_t>() != kExportVersion) {
    return Status::Unsupported("the export was made by a newer attune");
  }
  const json& items = document.value("entries", json::array());
  if (!items.is_array()) return Status::InvalidArgument("the export has no entry list");

  std::vector<Entry> incoming;
  incoming.reserve(items.size());
  for (const json& item : items) {
    ATTUNE_ASSIGN_OR_RETURN(Entry entry, EntryFromJson(item));
    incoming.push_back(std::move(entry));
  }
  return ImportEntries(std::move(incoming), progress);
}

Result<ImportSummary> Journal::ImportEntries(std::vector<Entry> entries,
                                             const ProgressCallback& progress) {
  // Validate everything before writing anything, then write in one transaction: an import
  // either lands whole or not at all.
  std::set<std::string> incoming_ids;
  for (Entry& entry : entries) {
    if (entry.author != Author::kMe) {
      // An export holds only its writer's entries; a partner's words come back by sync.
      return Status::InvalidArgument("entry " + entry.id + " is not this journal's own");
    }
    ATTUNE_RETURN_IF_ERROR(ValidateEntryContent(entry).WithContext("entry " + entry.id));
    // As Add: a style entry is a quiz result, or `attune style` could not read it.
    if (entry.kind == "style" && !QuizScoreFromJson(entry.fields).ok()) {
      return Status::InvalidArgument("entry " + entry.id)
          .WithReason(JournalReason::kStyleComesFromQuiz);
    }
    incoming_ids.insert(entry.id);
  }
  ImportSummary summary;
  const uint64_t total = entries.size();
  uint64_t done = 0;
  ReportProgress(progress, done, total);
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  for (Entry& entry : entries) {
    ReportProgress(progress, done++, total);
    ATTUNE_RETURN_IF_ERROR(CheckLinksResolve(db(), entry, incoming_ids));
    ATTUNE_ASSIGN_OR_RETURN(std::optional<storage::EntryRow> existing, db().GetEntry(entry.id));
    if (existing && existing->kind != entry.kind) {
      // Ids are 128 random bits: a clash of kinds means the file was edited or is not a
      // backup of this journal. Refuse the whole import rather than guess.
      return Status::InvalidArgument("entry " + entry.id + " is a " + existing->kind +
                                     " here but a " + entry.kind + " in the file");
    }
    if (existing && existing->author != storage::kAuthorMe) {
      // The file would rewrite the partner's read-only entry under their author.
      return Status::InvalidArgument("entry " + entry.id + " is your partner's here, not yours");
    }
    if (!existing) {
      ATTUNE_RETURN_IF_ERROR(StoreImported(entry, /*is_new=*/true));
      ++summary.added;
    } else if (existing->kind == entry.kind && existing->updated_ms < entry.updated.utc_ms) {
      ATTUNE_RETURN_IF_ERROR(StoreImported(entry, /*is_new=*/false));
      ++summary.updated;
    } else {
      ++summary.unchanged;
    }
  }
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  ReportProgress(progress, total, total);
  return summary;
}

}  // namespace attune::node
