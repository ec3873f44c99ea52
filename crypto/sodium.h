// One-time libsodium initialisation for the whole process.
//
// Every other function in attune::crypto assumes Init() has returned ok:
// libsodium picks its RNG, CPU-specific code paths and the page size that
// sodium_malloc uses during sodium_init, so calling into it earlier is
// undefined. The composition root (node/, cli/) and every test binary call
// Init() once at start-up and stop if it fails.
#ifndef ATTUNE_CRYPTO_SODIUM_H_
#define ATTUNE_CRYPTO_SODIUM_H_

#include <string_view>

#include "base/status.h"

namespace attune::crypto {

// Initialises libsodium. Thread-safe and idempotent: the first call does the
// work, later calls (from any thread) return the same outcome cheaply.
// kInternal if libsodium could not initialise (e.g. no usable entropy source).
Status Init();

// The version of the libsodium this process runs with (not the headers it was built against),
// e.g. "1.0.18". Needs no Init().
std::string_view SodiumVersion();

}  // namespace attune::crypto

#endif  // ATTUNE_CRYPTO_SODIUM_H_
