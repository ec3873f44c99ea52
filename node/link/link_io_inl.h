// Template definitions for link_io.h; include that header, not this one.
#ifndef ATTUNE_NODE_LINK_LINK_IO_INL_H_
#define ATTUNE_NODE_LINK_LINK_IO_INL_H_

#include <exception>
#include <optional>

namespace attune::node::link_io {

template <typename T>
Result<T> RunToCompletion(asio::io_context& io, Task<Result<T>> task) {
  std::optional<Result<T>> outcome;
  // Wrapped in a void coroutine: co_spawn's own result path needs a default-constructible T.
  auto run = [&outcome, task = std::move(task)]() mutable -> Task<void> {
    outcome.emplace(co_await std::move(task));
  };
  bool threw = false;
  asio::co_spawn(io, std::move(run),
                 [&threw](std::exception_ptr error) { threw = error != nullptr; });
  io.run();
  if (threw) return Status::Internal("unexpected exception in the network code");
  if (!outcome) return Status::Internal("the network task did not finish");
  return std::move(*outcome);
}

}  // namespace attune::node::link_io

#endif  // ATTUNE_NODE_LINK_LINK_IO_INL_H_
