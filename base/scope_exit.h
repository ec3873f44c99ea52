// Runs a function when the enclosing scope ends, however it ends (a return, an exception, or a
// coroutine frame destroyed mid-flight). For state that other code trusts to be reset, such as
// "a session is active" pointers into a frame that is going away.
#ifndef ATTUNE_BASE_SCOPE_EXIT_H_
#define ATTUNE_BASE_SCOPE_EXIT_H_

#include <utility>

namespace attune {

template <typename Function>
class ScopeExit {
 public:
  explicit ScopeExit(Function function) : function_(std::move(function)) {}
  ~ScopeExit() { function_(); }

  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;

 private:
  Function function_;
};

}  // namespace attune

#endif  // ATTUNE_BASE_SCOPE_EXIT_H_
