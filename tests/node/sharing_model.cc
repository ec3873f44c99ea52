#include "tests/node/sharing_model.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "node/shared_content.h"

namespace attune::node::testing {

std::string MarkerBook::New(std::string_view label, std::string where) {
  std::string marker = std::string(label) + "-" + std::to_string(written_.size() + 1) + ";";
  written_.push_back(marker + " (" + std::move(where) + ")");
  return marker;
}

std::string MarkerBook::Describe(uint64_t number) const {
  if (number >= 1 && number <= written_.size()) return written_[number - 1];
  return "marker " + std::to_string(number) + " (never written)";
}

std::vector<uint64_t> MarkersIn(std::string_view text) {
  constexpr std::array<std::string_view, 3> kLabels = {"PRIVATE-", "UNCONFIRMED-", "SHARED-"};
  std::vector<uint64_t> markers;
  for (std::string_view label : kLabels) {
    for (size_t at = text.find(label); at != std::string_view::npos;
         at = text.find(label, at + 1)) {
      size_t end = at + label.size();
      uint64_t number = 0;
      while (end < text.size() && text[end] >= '0' && text[end] <= '9') {
        number = number * 10 + static_cast<uint64_t>(text[end++] - '0');
      }
      // Cut short (by a fragment's end, say), it names no marker for sure: the whole record is
      // checked as well.
      if (end < text.size() && text[end] == ';') markers.push_back(number);
    }
  }
  return markers;
}

nlohmann::json ViewJson(const Entry& entry) {
  nlohmann::json view = EntryToJson(entry);
  view.erase("author");
  view.erase("visibility");
  return view;
}

size_t OpLog::Add(const std::string& line) {
  if (trace_)
    std::fprintf(stderr, "[%llu] %s\n", static_cast<unsigned long long>(tick_), line.c_str());
  lines_.push_back("t" + std::to_string(tick_) + " " + line);
  return lines_.size() - 1;
}

std::string OpLog::Lines(const std::vector<size_t>& indexes) const {
  std::string text;
  for (size_t index : indexes) text += "\n    " + lines_.at(index);
  return text;
}

std::string OpLog::Last(size_t count) const {
  std::vector<size_t> last;
  for (size_t index = lines_.size() - std::min(count, lines_.size()); index < lines_.size();
       ++index) {
    last.push_back(index);
  }
  return Lines(last);
}

std::string AuthorModel::NextName() const {
  return who_ + "#" + std::to_string(entries_.size() + 1);
}

AuthoredEntry& AuthorModel::Added(const Entry& entry) {
  auto authored = std::make_unique<AuthoredEntry>();
  authored->name = NextName();
  authored->order = entries_.size();
  authored->entry = entry;
  by_id_[entry.id] = authored.get();
  entries_.push_back(std::move(authored));
  return *entries_.back();
}

AuthoredEntry* AuthorModel::Find(const std::string& id) {
  auto found = by_id_.find(id);
  return found == by_id_.end() ? nullptr : found->second;
}

const AuthoredEntry* AuthorModel::Find(const std::string& id) const {
  auto found = by_id_.find(id);
  return found == by_id_.end() ? nullptr : found->second;
}

std::vector<AuthoredEntry*> AuthorModel::Live(
    const std::function<bool(const AuthoredEntry&)>& keep) {
  std::vector<AuthoredEntry*> live;
  for (const std::unique_ptr<AuthoredEntry>& authored : entries_) {
    if (!authored->deleted && keep(*authored)) live.push_back(authored.get());
  }
  return live;
}

nlohmann::json AuthorModel::ExpectedView(const Entry& entry, bool with_answers) {
  nlohmann::json view = ViewJson(entry);
  if (!with_answers) view["fields"].erase(std::string(kQuizAnswersField));
  return view;
}

void AuthorModel::Confirm(AuthoredEntry& authored, nlohmann::json view, bool with_answers) {
  authored.entry.visibility = node::Visibility::kShared;
  authored.with_answers = with_answers;
  authored.confirmed = std::move(view);
  may_cross_stale_ = true;
}

void AuthorModel::Withdraw(AuthoredEntry& authored) {
  authored.entry.visibility = node::Visibility::kPrivate;
  authored.with_answers = false;
  authored.confirmed.reset();
  may_cross_stale_ = true;
}

bool AuthorModel::MayCross(uint64_t number) {
  if (may_cross_stale_) {
    may_cross_.clear();
    for (const std::unique_ptr<AuthoredEntry>& authored : entries_) {
      if (!authored->confirmed) continue;
      for (uint64_t marker : MarkersIn(authored->confirmed->dump())) may_cross_.insert(marker);
    }
    may_cross_stale_ = false;
  }
  return may_cross_.contains(number);
}

std::map<std::string, nlohmann::json> AuthorModel::ConfirmedViews() const {
  std::map<std::string, nlohmann::json> views;
  for (const std::unique_ptr<AuthoredEntry>& authored : entries_) {
    if (authored->confirmed) views.emplace(authored->entry.id, *authored->confirmed);
  }
  return views;
}

}  // namespace attune::node::testing
