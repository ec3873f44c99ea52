// The torrc of attune's own tor (tor/torrc.h).
#include "tor/torrc.h"

#include <gtest/gtest.h>

#include "tests/common/status_assertions.h"

namespace attune::tor {
namespace {

TorrcOptions Options() {
  return {"/home/robin/.local/share/attune/tor", "/home/robin/.local/share/attune/tor/control",
          "/home/robin/.local/share/attune/tor/cookie", 4242, ""};
}

TEST(TorrcTest, LoopbackAutoPortsCookieAndOwner) {
  ASSERT_OK_AND_ASSIGN(std::string torrc, ComposeTorrc(Options()));
  for (std::string_view line :
       {"DataDirectory /home/robin/.local/share/attune/tor\n", "ControlPort 127.0.0.1:auto\n",
        "ControlPortWriteToFile /home/robin/.local/share/attune/tor/control\n",
        "CookieAuthentication 1\n", "SocksPort 127.0.0.1:auto ExtendedErrors\n",
        "__OwningControllerProcess 4242\n", "Log notice stdout\n"}) {
    EXPECT_NE(torrc.find(line), std::string::npos) << line;
  }
}

TEST(TorrcTest, ExtraLinesComeLastAndEndInANewline) {
  TorrcOptions options = Options();
  options.extra = "TestingTorNetwork 1\nDirAuthority x";
  ASSERT_OK_AND_ASSIGN(std::string torrc, ComposeTorrc(options));
  EXPECT_TRUE(torrc.ends_with("TestingTorNetwork 1\nDirAuthority x\n"));
  EXPECT_LT(torrc.find("SocksPort"), torrc.find("TestingTorNetwork"));
}

TEST(TorrcTest, RefusesPathsThatWouldBreakALine) {
  TorrcOptions broken = Options();
  broken.data_directory = "/tmp/x\nSocksPort 0.0.0.0:9050";
  EXPECT_CODE(ComposeTorrc(broken), kInvalidArgument);
  TorrcOptions relative = Options();
  relative.cookie_file = "cookie";
  EXPECT_CODE(ComposeTorrc(relative), kInvalidArgument);
  TorrcOptions no_owner = Options();
  no_owner.owner_pid = 0;
  EXPECT_CODE(ComposeTorrc(no_owner), kInvalidArgument);
}

}  // namespace
}  // namespace attune::tor
