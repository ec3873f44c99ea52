#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tests/layering/include_rules.h"

namespace attune::layering {
namespace {

// The rule each violation breaks, for compact assertions.
std::vector<std::string> Whys(std::string_view path, std::string_view content) {
  std::vector<std::string> whys;
  for (const Violation& violation : CheckFile(path, content)) whys.push_back(violation.why);
  return whys;
}

bool Allowed(std::string_view path, std::string_view include_line) {
  return CheckFile(path, std::string(include_line) + "\n").empty();
}

TEST(LayeringTest, SourceTreeRespectsTheArrows) {
  TreeReport report = CheckTree(ATTUNE_SOURCE_DIR);
  // Guards against passing vacuously because the walk found nothing.
  ASSERT_FALSE(report.files.empty()) << "no sources under " << ATTUNE_SOURCE_DIR;
  EXPECT_TRUE(std::binary_search(report.files.begin(), report.files.end(), "base/status.h"));
  EXPECT_TRUE(std::binary_search(report.files.begin(), report.files.end(), "protocol/frame.h"));
  for (const Violation& violation : report.violations) ADD_FAILURE() << Describe(violation);
}

TEST(IncludeRulesTest, ExtractsIncludesWithLineNumbers) {
  std::vector<Include> includes = ExtractIncludes(
      "// header\n"
      "#include <vector>\n"
      "  #  include \"crypto/aead.h\"  // why\n"
      "// #include <sqlite3.h>\n"
      "#define X 1\n"
      "#include<sodium.h>\n",
      false);
  ASSERT_EQ(includes.size(), 3u);
  EXPECT_EQ(includes[0].line, 2);
  EXPECT_EQ(includes[0].target, "vector");
  EXPECT_TRUE(includes[0].angled);
  EXPECT_EQ(includes[1].line, 3);
  EXPECT_EQ(includes[1].target, "crypto/aead.h");
  EXPECT_FALSE(includes[1].angled);
  EXPECT_EQ(includes[2].line, 6);
  EXPECT_EQ(includes[2].target, "sodium.h");
}

TEST(IncludeRulesTest, ExtractsProtoImports) {
  std::vector<Include> includes = ExtractIncludes(
      "syntax = \"proto3\";\nimport \"google/protobuf/any.proto\";\n"
      "import public \"node/x.proto\";\n",
      true);
  ASSERT_EQ(includes.size(), 2u);
  EXPECT_EQ(includes[0].target, "google/protobuf/any.proto");
  EXPECT_EQ(includes[1].line, 3);
  EXPECT_EQ(includes[1].target, "node/x.proto");
}

TEST(IncludeRulesTest, FlagsForbiddenIncludeWithFileAndLine) {
  std::vector<Violation> violations =
      CheckFile("protocol/link.cc", "#include \"base/status.h\"\n#include \"node/journal.h\"\n");
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(Describe(violations[0]),
            "protocol/link.cc:2: #include \"node/journal.h\": protocol may not depend on node "
            "(it may include base, crypto)");
}

TEST(IncludeRulesTest, FlagsUpwardAndSidewaysModuleIncludes) {
  EXPECT_FALSE(Allowed("base/bytes.h", "#include \"crypto/aead.h\""));
  EXPECT_FALSE(Allowed("crypto/aead.cc", "#include \"protocol/frame.h\""));
  EXPECT_FALSE(Allowed("storage/database.cc", "#include \"crypto/aead.h\""));
  EXPECT_FALSE(Allowed("node/journal/journal.cc", "#include \"cli/main.h\""));
  EXPECT_FALSE(Allowed("cli/main.cc", "#include \"crypto/aead.h\""));
  EXPECT_FALSE(Allowed("cli/main.cc", "#include \"storage/database.h\""));
  EXPECT_FALSE(Allowed("tor/controller.cc", "#include \"protocol/frame.h\""));
  EXPECT_FALSE(Allowed("tor/controller.cc", "#include <boost/asio/ip/tcp.hpp>"));
  EXPECT_FALSE(Allowed("cli/main.cc", "#include \"tor/socks5.h\""));
}

TEST(IncludeRulesTest, AllowsTheArrows) {
  EXPECT_TRUE(Allowed("crypto/aead.cc", "#include \"base/bytes.h\""));
  EXPECT_TRUE(Allowed("crypto/aead.cc", "#include \"crypto/aead.h\""));
  EXPECT_TRUE(Allowed("protocol/noise.cc", "#include \"crypto/aead.h\""));
  EXPECT_TRUE(Allowed("node/journal/journal.cc", "#include \"storage/database.h\""));
  EXPECT_TRUE(Allowed("node/journal/journal.cc", "#include \"protocol/frame.h\""));
  EXPECT_TRUE(Allowed("cli/main.cc", "#include \"node/journal.h\""));
  EXPECT_TRUE(Allowed("tor/controller.h", "#include \"crypto/secure_bytes.h\""));
  EXPECT_TRUE(Allowed("node/tor_process.cc", "#include \"tor/controller.h\""));
  EXPECT_TRUE(Allowed("base/status.h", "#include <optional>"));
}

TEST(IncludeRulesTest, ThirdPartyHeadersStayWithTheirOwners) {
  EXPECT_TRUE(Allowed("crypto/aead.cc", "#include <sodium.h>"));
  EXPECT_FALSE(Allowed("node/keys.cc", "#include <sodium.h>"));
  EXPECT_TRUE(Allowed("storage/connection.cc", "#include <sqlite3.h>"));
  EXPECT_FALSE(Allowed("node/journal/journal.cc", "#include <sqlite3.h>"));
  EXPECT_FALSE(Allowed("node/journal/journal.cc", "#include \"sqlite3.h\""));  // quotes don't help
  EXPECT_TRUE(Allowed("node/link/link_io.cc", "#include <boost/asio.hpp>"));
  EXPECT_FALSE(Allowed("node/journal/journal.cc", "#include <boost/asio.hpp>"));
  EXPECT_FALSE(Allowed("node/doctor.cc", "#include <boost/asio.hpp>"));
  EXPECT_TRUE(Allowed("node/agent/agent_process.cc", "#include <boost/asio.hpp>"));
  EXPECT_FALSE(Allowed("protocol/link.cc", "#include <boost/asio/ip/tcp.hpp>"));
  EXPECT_FALSE(Allowed("cli/main.cc", "#include <boost/asio.hpp>"));
  EXPECT_TRUE(Allowed("cli/main.cc", "#include <CLI/CLI.hpp>"));
  EXPECT_FALSE(Allowed("node/options.cc", "#include <CLI/CLI.hpp>"));
  EXPECT_TRUE(Allowed("node/config.cc", "#include <nlohmann/json.hpp>"));
  EXPECT_FALSE(Allowed("storage/x.cc", "#include <nlohmann/json.hpp>"));
  EXPECT_FALSE(Allowed("crypto/x.cc", "#include <gtest/gtest.h>"));
}

TEST(IncludeRulesTest, ProtobufStaysInsideProtocol) {
  EXPECT_TRUE(Allowed("protocol/messages.cc", "#include \"protocol/attune.pb.h\""));
  EXPECT_TRUE(Allowed("protocol/messages.cc", "#include <google/protobuf/message_lite.h>"));
  EXPECT_TRUE(Allowed("protocol/attune.proto", "import \"google/protobuf/any.proto\";"));
  EXPECT_FALSE(Allowed("node/session.cc", "#include \"protocol/attune.pb.h\""));
  EXPECT_FALSE(Allowed("node/session.cc", "#include \"attune.pb.h\""));
  EXPECT_FALSE(Allowed("cli/main.cc", "#include <google/protobuf/message.h>"));
}

TEST(IncludeRulesTest, OnlyStorageNodeAndCliUseOperatingSystemHeaders) {
  EXPECT_FALSE(Allowed("protocol/link.cc", "#include <sys/socket.h>"));
  EXPECT_FALSE(Allowed("crypto/random.cc", "#include <unistd.h>"));
  EXPECT_FALSE(Allowed("base/clock.h", "#include <time.h>"));
  EXPECT_FALSE(Allowed("base/file.h", "#include <fcntl.h>"));
  EXPECT_TRUE(Allowed("base/unique_fd.h", "#include <unistd.h>"));  // close(2) only
  EXPECT_TRUE(Allowed("storage/connection.cc", "#include <fcntl.h>"));
  EXPECT_TRUE(Allowed("node/home.cc", "#include <sys/stat.h>"));
  EXPECT_TRUE(Allowed("cli/tty.cc", "#include <termios.h>"));
}

TEST(IncludeRulesTest, ReportsEveryViolationInAFile) {
  std::vector<std::string> whys = Whys("base/x.h",
                                       "#include <sodium.h>\n#include <vector>\n"
                                       "#include \"node/y.h\"\n");
  ASSERT_EQ(whys.size(), 2u);
  EXPECT_NE(whys[0].find("libsodium"), std::string::npos);
  EXPECT_NE(whys[1].find("nothing of ours"), std::string::npos);
}

TEST(IncludeRulesTest, FilesOutsideModulesAreExempt) {
  EXPECT_EQ(ModuleOf("tests/crypto/aead_test.cc"), "");
  EXPECT_EQ(ModuleOf("README.md"), "");
  EXPECT_EQ(ModuleOf("protocol/frame.h"), "protocol");
  EXPECT_TRUE(Allowed("tests/node/x_test.cc", "#include <sqlite3.h>"));
}

TEST(NamespaceRulesTest, FindsModuleNamespacesInCodeOnly) {
  std::vector<NamespaceUse> uses = ExtractNamespaceUses(
      "crypto::Aead a;  // storage::Row in a comment\n"
      "auto s = \"node::Journal in a string\";\n"
      "/* protocol::Frame\n in a block */ attune::storage::Row r;\n"
      "std::string x; boost::asio::node::y; int n = 1'000; char c = ':';\n"
      "steps::FindKind(k);\n");
  ASSERT_EQ(uses.size(), 3u);
  EXPECT_EQ(uses[0].line, 1);
  EXPECT_EQ(uses[0].name, "crypto");
  EXPECT_EQ(uses[1].line, 4);
  EXPECT_EQ(uses[1].name, "storage");
  EXPECT_EQ(uses[2].line, 6);
  EXPECT_EQ(uses[2].name, "steps");
}

TEST(NamespaceRulesTest, FlagsAnotherModulesNamespaceThatNoIncludeShows) {
  // cli reaching crypto through a type node hands out is a dependency all the same.
  std::vector<Violation> violations =
      CheckFile("cli/link.cc", "#include \"node/journal.h\"\ncrypto::X25519KeyPair own;\n");
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(Describe(violations[0]),
            "cli/link.cc:2: crypto::: cli may not use crypto's types or functions (it may use "
            "base, steps, node)");
  EXPECT_TRUE(CheckFile("cli/x.cc", "node::Journal j; steps::KindInfo k;\n").empty());
  EXPECT_TRUE(CheckFile("node/x.cc", "storage::Row r; protocol::Frame f;\n").empty());
  EXPECT_FALSE(CheckFile("steps/x.cc", "node::Entry e;\n").empty());
  EXPECT_FALSE(CheckFile("protocol/x.cc", "attune::storage::Row r;\n").empty());
}

TEST(IncludeRulesTest, NodesInsidesStayBehindItsPublicHeaders) {
  EXPECT_TRUE(Allowed("cli/app.cc", "#include \"node/journal.h\""));
  EXPECT_FALSE(Allowed("cli/app.cc", "#include \"node/journal/keyring.h\""));
  EXPECT_FALSE(Allowed("cli/app.cc", "#include \"node/link/link_io.h\""));
  EXPECT_TRUE(Allowed("node/link/link_serve.cc", "#include \"node/journal/journal_sync.h\""));
  EXPECT_TRUE(Allowed("node/link/link_io.cc", "#include <boost/asio.hpp>"));
  EXPECT_TRUE(Allowed("node/ui/ui_server.cc", "#include <boost/beast/http.hpp>"));
  EXPECT_FALSE(Allowed("node/journal/journal.cc", "#include <boost/beast/http.hpp>"));
  EXPECT_FALSE(Allowed("node/journal/journal.cc", "#include <boost/asio.hpp>"));
  EXPECT_FALSE(Allowed("node/home.cc", "#include <boost/asio/ip/tcp.hpp>"));
  // What cli includes from node shows it neither the database nor the keyring.
  EXPECT_FALSE(Allowed("node/journal.h", "#include \"storage/database.h\""));
  EXPECT_FALSE(Allowed("node/journal.h", "#include \"node/journal/keyring.h\""));
  EXPECT_TRUE(Allowed("node/journal/journal_backing.h", "#include \"storage/database.h\""));
  EXPECT_TRUE(Allowed("node/journal.h", "#include \"node/entry.h\""));
}

TEST(NamespaceRulesTest, StepsDependOnBaseOnly) {
  EXPECT_TRUE(Allowed("steps/quiz.cc", "#include \"base/status.h\""));
  EXPECT_FALSE(Allowed("steps/quiz.cc", "#include \"node/entry.h\""));
  EXPECT_FALSE(Allowed("steps/quiz.cc", "#include <nlohmann/json.hpp>"));
  EXPECT_FALSE(Allowed("steps/quiz.cc", "#include <unistd.h>"));
  EXPECT_TRUE(Allowed("node/journal/journal.cc", "#include \"steps/kinds.h\""));
  EXPECT_TRUE(Allowed("cli/app.cc", "#include \"steps/kinds.h\""));
}

}  // namespace
}  // namespace attune::layering
