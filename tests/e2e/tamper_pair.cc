#include "tests/e2e/tamper_pair.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <random>

namespace attune::e2e {
namespace {

namespace fs = std::filesystem;

std::string Lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// What Alex's `list --partner --json` shows of an entry, less what differs by the reader's side.
nlohmann::json ViewOf(nlohmann::json entry) {
  entry.erase("author");
  entry.erase("visibility");
  return entry;
}

std::string IdIn(const RunResult& result) {
  const nlohmann::json parsed = ParseJson(result.out);
  return parsed.is_object() && parsed.contains("id") ? parsed["id"].get<std::string>() : "";
}

}  // namespace

std::set<std::string> TamperIds::Own() const {
  return {private_need, private_statement, private_boundary, style, delivered,
          edited,       pending,           withdrawn};
}

std::string PrivateLoopbackEndpoint() {
  std::random_device seed;
  std::uniform_int_distribution<int> octet(1, 254), first(16, 239);
  for (int attempt = 0; attempt < 20; ++attempt) {
    const std::string host = "127." + std::to_string(first(seed)) + "." +
                             std::to_string(octet(seed)) + "." + std::to_string(octet(seed));
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
    socklen_t size = sizeof address;
    uint16_t port = 0;
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), size) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
      port = ntohs(address.sin_port);
    }
    ::close(fd);
    if (port != 0) return host + ":" + std::to_string(port);
  }
  ADD_FAILURE() << "no free address on the loopback network";
  return "127.0.0.1:1";
}

void TamperPairTest::SetUp() {
  PartnersTest::SetUp();
  // Sam's journal has this passphrase once prepared; Alex's has none and ignores it.
  env["ATTUNE_PASSPHRASE"] = kSamPassphrase;
}

void TamperPairTest::PreparePair(const std::string& dir) {
  const Homes homes{dir + "/sam", dir + "/alex"};
  fs::create_directories(dir);
  for (const auto& [home, name] : {std::pair{homes.sam, "Sam"}, std::pair{homes.alex, "Alex"}}) {
    const RunResult made = RunAt(home, {"init", "--name", name, "--no-passphrase"});
    ASSERT_EQ(made.exit_code, kExitOk) << made;
  }
  // Serve port 1 told to each other: the address each node remembers of the other from a
  // connection the other opened is then one nobody listens on.
  ASSERT_NO_FATAL_FAILURE(Pair(homes.alex, 1, homes.sam, 1));
  ids_.from_alex = AddAt(homes.alex, "need", "Alex would like a walk together", {"--share"});
  ASSERT_NO_FATAL_FAILURE(PrepareSam(homes.sam));
  ASSERT_NO_FATAL_FAILURE(FirstSyncs(homes));
  ASSERT_NO_FATAL_FAILURE(PendingChanges(homes.sam));
  env["ATTUNE_NEW_PASSPHRASE"] = kSamPassphrase;
  const RunResult passwd = RunAt(homes.sam, {"passwd", "--interactive-kdf"});
  env.erase("ATTUNE_NEW_PASSPHRASE");
  ASSERT_EQ(passwd.exit_code, kExitOk) << passwd;
  ASSERT_FALSE(HasFailure());
  WriteManifest(dir);
}

void TamperPairTest::PrepareSam(const std::string& sam) {
  ids_.private_need = AddAt(sam, "need", "TAMPER-PRIVATE: a need Sam keeps to themself",
                            {"--tag", "tamper-private-tag"});
  const RunResult statement = RunAt(
      sam, {"statement", "--feel", "tamper-private-feeling", "--when",
            "tamper-private moments come", "--need", "tamper-private needs are met", "--json"});
  ASSERT_EQ(statement.exit_code, kExitOk) << statement;
  ids_.private_statement = IdIn(statement);
  ids_.private_boundary = AddAt(sam, "boundary", "TAMPER-PRIVATE: a boundary Sam keeps");
  const RunResult restated =
      RunAt(sam, {"boundary", "restate", ids_.private_boundary, "TAMPER-PRIVATE restatement note"});
  ASSERT_EQ(restated.exit_code, kExitOk) << restated;
  const RunResult quiz = RunAt(sam, {"quiz", "--json"}, QuizAnswers(4));
  ASSERT_EQ(quiz.exit_code, kExitOk) << quiz;
  ids_.style = IdIn(quiz);
  const RunResult shared = RunAt(sam, {"share", ids_.style, "--yes"});
  ASSERT_EQ(shared.exit_code, kExitOk) << shared;
  ids_.delivered = AddAt(sam, "need", "Sam shares this need", {"--share"});
  ids_.edited = AddAt(sam, "need", "Sam shares this need and edits it later", {"--share"});
  ids_.deleted = AddAt(sam, "need", "TAMPER-GONE: Sam shares this, then deletes it", {"--share"});
}

void TamperPairTest::FirstSyncs(const Homes& homes) {
  ASSERT_NO_FATAL_FAILURE(SyncThrough(homes));
  const RunResult removed = RunAt(homes.sam, {"rm", ids_.deleted, "--yes"});
  ASSERT_EQ(removed.exit_code, kExitOk) << removed;
  // Without a terminal and without --yes, the new version of a shared entry waits unsent.
  const RunResult edited =
      RunAt(homes.sam, {"edit", ids_.edited, "UNCONFIRMED: Sam's new words for it"});
  ASSERT_EQ(edited.exit_code, kExitOk) << edited;
  ASSERT_NO_FATAL_FAILURE(SyncThrough(homes));
  const nlohmann::json held = JsonAt(homes.alex, {"list", "--partner"});
  ASSERT_TRUE(held.is_array());
  for (const nlohmann::json& entry : held) confirmed_[entry["id"]] = ViewOf(entry);
  ASSERT_EQ(confirmed_.size(), 3u) << held.dump(2);
  for (const std::string& id : {ids_.style, ids_.delivered, ids_.edited}) {
    ASSERT_TRUE(confirmed_.count(id)) << held.dump(2);
  }
  ASSERT_FALSE(confirmed_[ids_.style]["fields"].contains("answers")) << held.dump(2);
}

void TamperPairTest::PendingChanges(const std::string& sam) {
  ids_.pending = AddAt(sam, "need", "Sam shares this after the last sync", {"--share"});
  confirmed_[ids_.pending] = JsonAt(sam, {"share", ids_.pending, "--preview"});
  const RunResult edited = RunAt(sam, {"edit", ids_.pending, "UNCONFIRMED: words never sent"});
  ASSERT_EQ(edited.exit_code, kExitOk) << edited;
  ids_.withdrawn =
      AddAt(sam, "note", "TAMPER-GONE: a note shared by mistake", {"--share", "--yes"});
  const RunResult unshared = RunAt(sam, {"unshare", ids_.withdrawn});
  ASSERT_EQ(unshared.exit_code, kExitOk) << unshared;
}

void TamperPairTest::SyncThrough(const Homes& homes) {
  const std::string endpoint = PrivateLoopbackEndpoint();
  BackgroundProcess serve = StartServe(homes.alex, endpoint);
  ASSERT_TRUE(serve.ReadLineContaining(ServeEvent("listening"), kStep)) << serve.Wait(kStep);
  const RunResult synced = SyncTo(homes.sam, endpoint);
  EXPECT_EQ(synced.exit_code, kExitOk) << synced;
  Stop(serve);
}

void TamperPairTest::WriteManifest(const std::string& dir) {
  const nlohmann::json manifest = {{"ids",
                                    {{"private_need", ids_.private_need},
                                     {"private_statement", ids_.private_statement},
                                     {"private_boundary", ids_.private_boundary},
                                     {"style", ids_.style},
                                     {"delivered", ids_.delivered},
                                     {"edited", ids_.edited},
                                     {"deleted", ids_.deleted},
                                     {"pending", ids_.pending},
                                     {"withdrawn", ids_.withdrawn},
                                     {"from_alex", ids_.from_alex}}},
                                   {"confirmed", confirmed_}};
  WriteFile(dir + "/manifest.json", manifest.dump(2));
}

void TamperPairTest::ReadManifest(const std::string& dir) {
  const nlohmann::json manifest = ParseJson(ReadFile(dir + "/manifest.json"));
  ASSERT_TRUE(manifest.is_object()) << dir;
  const nlohmann::json& ids = manifest["ids"];
  for (const auto& [name, field] :
       {std::pair{"private_need", &ids_.private_need},
        std::pair{"private_statement", &ids_.private_statement},
        std::pair{"private_boundary", &ids_.private_boundary}, std::pair{"style", &ids_.style},
        std::pair{"delivered", &ids_.delivered}, std::pair{"edited", &ids_.edited},
        std::pair{"deleted", &ids_.deleted}, std::pair{"pending", &ids_.pending},
        std::pair{"withdrawn", &ids_.withdrawn}, std::pair{"from_alex", &ids_.from_alex}}) {
    *field = ids.value(name, "");
    ASSERT_EQ(field->size(), 32u) << name << " in " << dir;
  }
  confirmed_ = manifest["confirmed"].get<std::map<std::string, nlohmann::json>>();
}

void TamperPairTest::UsePreparedPair() {
  const char* prepared = std::getenv("ATTUNE_TAMPER_PAIR");
  if (prepared != nullptr && PathExists(std::string(prepared) + "/manifest.json")) {
    pair_dir_ = prepared;
    ASSERT_NO_FATAL_FAILURE(ReadManifest(pair_dir_));
    return;
  }
  pair_dir_ = PathIn("pair");
  ASSERT_NO_FATAL_FAILURE(PreparePair(pair_dir_));
}

Homes TamperPairTest::CopyPair(const std::string& name) {
  const Homes homes{PathIn(name + "/sam"), PathIn(name + "/alex")};
  std::error_code error;
  fs::create_directories(PathIn(name), error);
  fs::copy(pair_dir_ + "/sam", homes.sam, fs::copy_options::recursive, error);
  if (!error) fs::copy(pair_dir_ + "/alex", homes.alex, fs::copy_options::recursive, error);
  EXPECT_FALSE(error) << "copying the prepared pair: " << error.message();
  return homes;
}

BackgroundProcess TamperPairTest::StartServe(const std::string& home, const std::string& endpoint) {
  return StartAt(home, {"serve", "--json", "--listen", endpoint, "--no-discovery"});
}

RunResult TamperPairTest::SyncTo(const std::string& home, const std::string& endpoint) {
  return RunAt(home, {"sync", "--to", endpoint, "--no-discovery", "--json"});
}

void TamperPairTest::ExpectPartnerHoldsOnlyConfirmed(const std::string& alex,
                                                     bool pending_arrived) {
  const RunResult listed = RunAt(alex, {"list", "--partner", "--json"});
  ASSERT_EQ(listed.exit_code, kExitOk) << listed;
  const nlohmann::json held = ParseJson(listed.out);
  ASSERT_TRUE(held.is_array()) << listed;
  bool pending_there = false;
  for (const nlohmann::json& entry : held) {
    const std::string id = entry.value("id", "");
    pending_there = pending_there || id == ids_.pending;
    const auto confirmed = confirmed_.find(id);
    if (confirmed == confirmed_.end()) {
      ADD_FAILURE() << "Alex holds " << id << ", which Sam never shared:\n" << entry.dump(2);
      continue;
    }
    EXPECT_EQ(ViewOf(entry), confirmed->second) << "Alex's copy is not what Sam confirmed";
  }
  EXPECT_EQ(pending_there, pending_arrived) << "Sam's pending shared entry " << ids_.pending;
  const std::string shown = Lowered(listed.out);
  const std::string stored =
      Lowered(ReadFile(alex + "/journal.db") + ReadFile(alex + "/journal.db-wal"));
  for (const char* marker : {kPrivateMarker, kUnconfirmedMarker, kGoneMarker}) {
    EXPECT_FALSE(Contains(shown, marker)) << "Alex is shown " << marker << ":\n" << listed.out;
    EXPECT_FALSE(Contains(stored, marker)) << "Alex's database holds " << marker;
  }
}

}  // namespace attune::e2e
