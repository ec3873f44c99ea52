#include "tests/e2e/tamper_cases.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace attune::e2e::tamper {
namespace {

// The row kinds each known table's cases are made on.
const std::map<std::string, std::vector<std::string>, std::less<>> kRowsOf = {
    {"entries", {"private", "shared"}},
    {"outgoing", {"content", "tombstone"}},
};
// The meta row whose other columns (any but value) are changed.
constexpr std::string_view kMetaRow = "sync.epoch";

// Each table's primary key: how a row kind's row is found.
std::string KeyColumnOf(std::string_view table) {
  if (table == "entries") return "id";
  if (table == "outgoing") return "entry_id";
  return "key";
}

// The key of the row a case is made on.
std::string KeyOf(std::string_view table, std::string_view row, const TamperIds& ids) {
  if (table == "entries") return row == "private" ? ids.private_need : ids.pending;
  if (table == "outgoing") return row == "content" ? ids.pending : ids.withdrawn;
  return std::string(row);
}

int64_t NextSeq(SqlFile& file) {
  std::optional<Value> largest = file.One("SELECT max(seq) FROM outgoing");
  return largest && largest->kind == Value::Kind::kInteger ? largest->integer + 1 : 1;
}

Touched ChangeOneColumn(SqlFile& file, const Case& what, const std::string& key) {
  Touched touched;
  touched.names.insert(key);
  const std::optional<int64_t> rowid =
      RowidOf(file, std::string(what.table), KeyColumnOf(what.table), key);
  if (!rowid) return touched;
  const std::optional<Value> written =
      ChangeColumn(file, std::string(what.table), std::string(what.column), *rowid);
  const bool key_changed = written && what.column == KeyColumnOf(what.table);
  if (key_changed) touched.names.insert(written->bytes);
  if (what.table == "entries") {
    touched.entries.insert(key);
    touched.show = key_changed ? written->bytes : key;
  } else if (what.table == "outgoing") {
    touched.show = key;
  }
  return touched;
}

Touched DeleteOneRow(SqlFile& file, const Case& what, const std::string& key) {
  Touched touched{{}, {key}, what.table == "meta" ? "" : key};
  if (what.table == "entries") touched.entries.insert(key);
  const std::optional<int64_t> rowid =
      RowidOf(file, std::string(what.table), KeyColumnOf(what.table), key);
  if (rowid)
    file.Run("DELETE FROM " + std::string(what.table) + " WHERE rowid = ?1",
             {Value::Integer(*rowid)});
  return touched;
}

// A log row for `entry_id`, copied from the pending entry's (whose seal it carries).
void PlantLogRow(SqlFile& file, const TamperIds& ids, const std::string& entry_id) {
  const std::optional<int64_t> content = RowidOf(file, "outgoing", "entry_id", ids.pending);
  if (!content) return;
  CopyRow(file, "outgoing", *content,
          {{"entry_id", Value::Text(entry_id)}, {"seq", Value::Integer(NextSeq(file))}});
}

Touched PlantRow(SqlFile& file, const Case& what, const TamperIds& ids) {
  if (what.table == "meta") {
    // An unprotected key of the planter's choosing beside the protected one.
    file.Run("INSERT INTO meta (key, value) VALUES (?1, randomblob(32))",
             {Value::Text(std::string(what.row))});
    return {};
  }
  if (what.table == "outgoing") {
    PlantLogRow(file, ids, ids.private_need);
    return {{}, {ids.private_need}, ids.private_need};
  }
  // The private need, copied under a new id, marked shared, with a log row to send it.
  const std::string planted = OtherId(ids.private_need);
  const std::optional<int64_t> rowid = RowidOf(file, "entries", "id", ids.private_need);
  if (rowid) {
    CopyRow(file, "entries", *rowid,
            {{"id", Value::Text(planted)}, {"visibility", Value::Text("shared")}});
  }
  PlantLogRow(file, ids, planted);
  return {{}, {planted}, planted};
}

// What the issue's finding 3 describes, on every own entry at once.
Touched RewriteLog(SqlFile& file, const TamperIds& ids) {
  Touched touched;
  touched.show = ids.private_need;
  for (const Row& row : file.Rows("SELECT id FROM entries WHERE author = 'me' AND "
                                  "visibility = 'private'")) {
    touched.entries.insert(row.at(0).bytes);
    touched.names.insert(row.at(0).bytes);
  }
  file.Run("UPDATE entries SET visibility = 'shared' WHERE author = 'me'");
  const int64_t first = NextSeq(file);
  file.Run("CREATE TEMP TABLE template AS SELECT * FROM outgoing WHERE entry_id = ?1",
           {Value::Text(ids.pending)});
  file.Run("DELETE FROM outgoing");
  int64_t seq = first;
  for (const Row& row : file.Rows("SELECT id FROM entries WHERE author = 'me' ORDER BY id")) {
    file.Run("UPDATE temp.template SET entry_id = ?1, seq = ?2",
             {row.at(0), Value::Integer(seq++)});
    file.Run("INSERT INTO main.outgoing SELECT * FROM temp.template");
  }
  file.Run("DROP TABLE temp.template");
  return touched;
}

void ChangeHeader(SqlFile& file, std::string_view field) {
  const std::string name(field);
  std::optional<Value> now = file.One("PRAGMA " + name);
  if (!now || now->kind != Value::Kind::kInteger) {
    ADD_FAILURE() << "PRAGMA " << name << " gave nothing";
    return;
  }
  // One more than the newest version attune knows; any other application's id.
  const int64_t changed = name == "user_version" ? now->integer + 1 : now->integer ^ 1;
  file.Run("PRAGMA " + name + " = " + std::to_string(changed));
}

// Every log row's identity, as the log's seal covers them.
std::string LogIdentities(SqlFile& file) {
  std::string identities;
  for (const Row& row :
       file.Rows("SELECT quote(entry_id) || quote(seq) || quote(withdrawn) FROM outgoing "
                 "ORDER BY 1")) {
    identities += row.at(0).bytes + "\n";
  }
  return identities;
}

}  // namespace

std::string NameOf(const Case& what) {
  const std::string table(what.table), column(what.column), row(what.row);
  switch (what.change) {
    case Change::kColumn:
      return table + "." + column + "@" + row;
    case Change::kRowDeleted:
      return table + " row deleted@" + row;
    case Change::kRowPlanted:
      return table + " row planted@" + row;
    case Change::kLogRewritten:
      return table + " rewritten";
    case Change::kHeader:
      return "header." + column;
  }
  return table;
}

std::string ParamNameOf(const Case& what) {
  std::string name;
  for (char c : NameOf(what)) {
    const bool word = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (word) {
      name += c;
    } else if (!name.empty() && name.back() != '_') {
      name += '_';
    }
  }
  return name;
}

void PrintTo(const Outcome& outcome, std::ostream* out) {
  *out << NameOf(outcome.what);
}

std::vector<std::string> CasesOf(const Schema& schema) {
  std::vector<std::string> names;
  auto add = [&](std::string_view table, std::string_view column, std::string_view row,
                 Change change) {
    names.push_back(NameOf({table, column, row, change}));
  };
  for (const Table& table : schema.tables) {
    if (const auto rows = kRowsOf.find(table.name); rows != kRowsOf.end()) {
      for (const Column& column : table.columns) {
        for (const std::string& row : rows->second) {
          add(table.name, column.name, row, Change::kColumn);
        }
      }
      for (const std::string& row : rows->second) add(table.name, "", row, Change::kRowDeleted);
      add(table.name, "", "private", Change::kRowPlanted);
      if (table.name == "outgoing") add(table.name, "", "", Change::kLogRewritten);
    } else if (table.name == "meta") {
      for (const Column& column : table.columns) {
        if (column.name != "value") add("meta", column.name, kMetaRow, Change::kColumn);
      }
      for (const std::string& key : schema.meta_keys) {
        add("meta", "value", key, Change::kColumn);
        add("meta", "", key, Change::kRowDeleted);
      }
      add("meta", "", "key.plain", Change::kRowPlanted);
    } else {
      names.push_back(table.name + " (unknown table)");
    }
  }
  add("header", "user_version", "", Change::kHeader);
  add("header", "application_id", "", Change::kHeader);
  return names;
}

namespace {

Touched ApplyTo(SqlFile& file, const Case& what, const TamperIds& ids) {
  const std::string key = KeyOf(what.table, what.row, ids);
  switch (what.change) {
    case Change::kColumn:
      return ChangeOneColumn(file, what, key);
    case Change::kRowDeleted:
      return DeleteOneRow(file, what, key);
    case Change::kRowPlanted:
      return PlantRow(file, what, ids);
    case Change::kLogRewritten:
      return RewriteLog(file, ids);
    case Change::kHeader:
      ChangeHeader(file, what.column);
      return {};
  }
  return {};
}

}  // namespace

Touched Apply(const Case& what, const std::string& path, const TamperIds& ids) {
  SqlFile file(path);
  if (!file.ok()) return {};
  const std::string log_before = LogIdentities(file);
  Touched touched = ApplyTo(file, what, ids);
  // Any change to the log's rows (one changed, removed or added), or to its seal, leaves the
  // log unlike its seal; a command that stops over it names the log.
  if (LogIdentities(file) != log_before || what.row == "log.seal") {
    touched.names.insert("outgoing log");
  }
  return touched;
}

}  // namespace attune::e2e::tamper
