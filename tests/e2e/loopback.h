// Loopback TCP from the test's side, for the link tests: choosing free ports, and a raw client
// that is not attune at all (a port scanner, a stray program, a peer that says nothing).
// Blocking calls, each bounded by a timeout. Thread-compatible.
#ifndef ATTUNE_TESTS_E2E_LOOPBACK_H_
#define ATTUNE_TESTS_E2E_LOOPBACK_H_

#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "tests/common/raw_http.h"

namespace attune::e2e {

// 127.0.0.1:port as the socket calls take it.
sockaddr_in LoopbackAddress(uint16_t port);

// A port that was free on every address a moment ago, for a child to bind: chosen at random
// below the kernel's ephemeral range, so no test's outgoing connection can take it meanwhile.
// One process is never given the same port twice until the whole range has been handed out.
// 0 if none was free.
uint16_t UnusedLoopbackPort();

// The port of "HOST:PORT" (the last colon's suffix); 0 if there is none.
uint16_t PortOf(const std::string& address);

// A plain TCP connection to 127.0.0.1; closed on destruction (tests/common/raw_http.h).
using test_common::RawConnection;

}  // namespace attune::e2e

#endif  // ATTUNE_TESTS_E2E_LOOPBACK_H_
