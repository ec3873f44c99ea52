// What the sanitizer builds (-DATTUNE_SANITIZE=ON) change about the system calls tests observe.
// Header-only, so that tests linking none of attune's libraries (tests/e2e) can use it.
#ifndef ATTUNE_TESTS_COMMON_SANITIZERS_H_
#define ATTUNE_TESTS_COMMON_SANITIZERS_H_

namespace attune::test_common {

// The sanitizers' runtime intercepts mlock and reports success without locking anything. The e2e
// tests are built with the same sanitizer flags as the binary they run, so this holds for both.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kMlockIsIntercepted = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kMlockIsIntercepted = true;
#else
inline constexpr bool kMlockIsIntercepted = false;
#endif
#else
inline constexpr bool kMlockIsIntercepted = false;
#endif

}  // namespace attune::test_common

#endif  // ATTUNE_TESTS_COMMON_SANITIZERS_H_
