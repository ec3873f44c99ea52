#include "tests/protocol/sync_network.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>
#include <variant>

#include "protocol/session.h"

namespace attune::protocol::sync_testing {
namespace {

std::string Short(const Bytes& epoch) {
  return epoch.empty() ? "-" : ToHex(ByteSpan(epoch).first(2));
}

std::string NodeName(size_t node) {
  return node == 0 ? "A" : "B";
}

using StatField = uint64_t NetworkStats::*;
constexpr std::array<std::pair<const char*, StatField>, 10> kStatFields = {{
    {"sessions", &NetworkStats::sessions},
    {"faulty_sessions", &NetworkStats::faulty_sessions},
    {"envelopes", &NetworkStats::envelopes},
    {"dropped", &NetworkStats::dropped},
    {"duplicated", &NetworkStats::duplicated},
    {"reordered", &NetworkStats::reordered},
    {"cuts", &NetworkStats::cuts},
    {"engine_errors", &NetworkStats::engine_errors},
    {"fragments", &NetworkStats::fragments},
    {"new_epochs", &NetworkStats::new_epochs},
}};

}  // namespace

NetworkStats& NetworkStats::operator+=(const NetworkStats& other) {
  for (const auto& [name, field] : kStatFields) this->*field += other.*field;
  return *this;
}

std::string NetworkStats::ToString() const {
  std::string text;
  for (const auto& [name, field] : kStatFields) {
    text += (text.empty() ? "" : " ") + std::string(name) + "=" + std::to_string(this->*field);
  }
  return text;
}

std::string DescribeMessage(const Message& message) {
  if (const auto* hello = std::get_if<SyncHelloMessage>(&message)) {
    return "hello epoch=" + Short(hello->epoch) + " your=" + Short(hello->your_epoch) +
           " applied=" + std::to_string(hello->applied_seq);
  }
  if (const auto* batch = std::get_if<SyncBatchMessage>(&message)) {
    std::string text = "batch " + std::to_string(batch->batch_number) +
                       " epoch=" + Short(batch->epoch) +
                       " after=" + std::to_string(batch->after_seq) +
                       (batch->caught_up ? " caught_up" : "") + " seqs";
    for (const SyncRecord& record : batch->records) {
      text += " " + std::to_string(record.seq) + (record.withdrawn ? "x" : "") +
              (record.continues || record.part > 0 ? "p" + std::to_string(record.part) : "");
    }
    return text;
  }
  if (const auto* ack = std::get_if<SyncAckMessage>(&message)) {
    return "ack " + std::to_string(ack->batch_number) + " epoch=" + Short(ack->epoch) +
           " applied=" + std::to_string(ack->applied_seq);
  }
  if (const auto* exercise = std::get_if<ExerciseMessage>(&message)) {
    constexpr std::array<const char*, 4> kKinds = {"ask", "commit", "reveal", "withdraw"};
    return std::string("exercise ") + kKinds[static_cast<size_t>(exercise->kind)] + " " +
           exercise->exercise_id.substr(0, 4);
  }
  return "other";
}

Status SyncNetwork::Connect(uint64_t now, const std::array<SyncStore*, 2>& stores, bool may_fault) {
  connected_ = true;
  faulty_ = may_fault && dice_.Chance(0.5);
  ++stats_.sessions;
  Trace(now, std::string("connect") + (faulty_ ? " (faulty)" : ""));
  if (faulty_) ++stats_.faulty_sessions;
  in_flight_.clear();
  last_deliver_at_ = {0, 0};
  last_progress_ = now;
  for (size_t node = 0; node < 2; ++node) {
    End& end = ends_[node];
    end = End{std::make_unique<SyncEngine>(*stores[node])};
    // As node/ runs it half the time: batches that arrive together share one Apply.
    end.engine->SetDeferApply(dice_.Chance(0.5));
  }
  for (End& end : ends_) ATTUNE_RETURN_IF_ERROR(end.engine->Start());
  ATTUNE_RETURN_IF_ERROR(Collect(now));
  if (side_ == nullptr) return Status::Ok();
  for (size_t node = 0; node < 2; ++node) {
    ATTUNE_ASSIGN_OR_RETURN(std::vector<Message> first, side_->Opened(node));
    ATTUNE_RETURN_IF_ERROR(SendSide(now, node, first));
  }
  return Status::Ok();
}

Status SyncNetwork::SendSide(uint64_t now, size_t from, const std::vector<Message>& messages) {
  for (const Message& message : messages) ATTUNE_RETURN_IF_ERROR(Send(now, from, message));
  return Status::Ok();
}

void SyncNetwork::Cut(uint64_t now) {
  connected_ = false;
  ++stats_.cuts;
  Trace(now, "cut");
  in_flight_.clear();
  for (End& end : ends_) end.engine.reset();
  reconnect_at_ = now + dice_.Uniform(1, 15);
}

Status SyncNetwork::Collect(uint64_t now) {
  for (size_t from = 0; from < 2; ++from) {
    for (const Message& message : ends_[from].engine->TakeOutgoing()) {
      ATTUNE_RETURN_IF_ERROR(Send(now, from, message));
    }
  }
  return Status::Ok();
}

Status SyncNetwork::Send(uint64_t now, size_t from, const Message& message) {
  ATTUNE_ASSIGN_OR_RETURN(Bytes envelope, EncodeEnvelope(message));
  ++stats_.envelopes;
  ATTUNE_RETURN_IF_ERROR(CountSent(ends_[from], message));
  if (envelope.size() > kMaxEnvelopeBytes) {
    return Status::Internal("an envelope of " + std::to_string(envelope.size()) + " bytes");
  }
  ATTUNE_RETURN_IF_ERROR(observer_.OnSend(from, message, envelope));
  const size_t to = 1 - from;
  if (trace_) Trace(now, NodeName(from) + " sends " + DescribeMessage(message));
  if (faulty_ && dice_.Chance(0.03)) {
    ++stats_.dropped;
    return Status::Ok();
  }
  Enqueue(now, to, envelope);
  if (faulty_ && dice_.Chance(0.03)) {
    ++stats_.duplicated;
    Enqueue(now, to, envelope);
  }
  return Status::Ok();
}

void SyncNetwork::Enqueue(uint64_t now, size_t to, const Bytes& envelope) {
  uint64_t at = now + dice_.Uniform(1, kMaxDelayTicks);
  if (faulty_ && dice_.Chance(0.05)) {
    ++stats_.reordered;  // may overtake what was sent before it
  } else {
    at = std::max(at, last_deliver_at_[to]);
    last_deliver_at_[to] = at;
  }
  in_flight_.push_back(Packet{at, next_order_++, to, envelope});
}

bool SyncNetwork::PacketDueFor(uint64_t now, size_t node) const {
  return std::any_of(in_flight_.begin(), in_flight_.end(), [&](const Packet& packet) {
    return packet.to == node && packet.deliver_at <= now;
  });
}

Status SyncNetwork::DeliverDue(uint64_t now) {
  while (connected_ && !in_flight_.empty()) {
    auto next = std::min_element(in_flight_.begin(), in_flight_.end(), [](auto& x, auto& y) {
      return std::pair(x.deliver_at, x.order) < std::pair(y.deliver_at, y.order);
    });
    if (next->deliver_at > now) break;
    Packet packet = std::move(*next);
    in_flight_.erase(next);
    ATTUNE_RETURN_IF_ERROR(Deliver(now, packet));
  }
  return Status::Ok();
}

Status SyncNetwork::Deliver(uint64_t now, const Packet& packet) {
  ATTUNE_ASSIGN_OR_RETURN(Message message, DecodeEnvelope(packet.envelope));
  End& end = ends_[packet.to];
  last_progress_ = now;
  ++deliveries_;
  CountReceived(end, message);
  if (trace_) Trace(now, NodeName(packet.to) + " receives " + DescribeMessage(message));
  std::vector<Message> replies;
  Status received = Handle(packet.to, message, replies);
  if (received.ok() && end.engine->HasUnapplied() && !PacketDueFor(now, packet.to)) {
    received = end.engine->Flush();
  }
  if (!received.ok()) return EngineFailed(now, received);
  observer_.OnReceived(packet.to, message);
  ATTUNE_RETURN_IF_ERROR(SendSide(now, packet.to, replies));
  return Collect(now);
}

Status SyncNetwork::Handle(size_t to, const Message& message, std::vector<Message>& replies) {
  if (side_ == nullptr || !side_->Carries(message)) return ends_[to].engine->Receive(message);
  Result<std::vector<Message>> answered = side_->Receive(to, message);
  if (!answered.ok()) return answered.status();
  replies = std::move(*answered);
  return Status::Ok();
}

Status SyncNetwork::CountSent(End& sender, const Message& message) {
  if (std::holds_alternative<SyncHelloMessage>(message) && ++sender.hellos_sent == 2) {
    ++stats_.new_epochs;
  }
  if (!std::holds_alternative<SyncBatchMessage>(message)) return Status::Ok();
  if (++sender.batches_sent - sender.batches_acked > sender.engine->window()) {
    return Status::Internal("more than a window of batches unacknowledged");
  }
  return Status::Ok();
}

void SyncNetwork::CountReceived(End& receiver, const Message& message) {
  if (const auto* ack = std::get_if<SyncAckMessage>(&message)) {
    receiver.batches_acked = std::max(receiver.batches_acked, ack->batch_number);
  }
  if (const auto* batch = std::get_if<SyncBatchMessage>(&message)) {
    for (const SyncRecord& record : batch->records) {
      if (record.part > 0 || record.continues) ++stats_.fragments;
    }
  }
}

// The session closes, as node/ closes it on any engine error.
Status SyncNetwork::EngineFailed(uint64_t now, const Status& error) {
  ++stats_.engine_errors;
  Trace(now, "  error: " + error.detail());
  if (!observer_.Expected(error, faulty_)) {
    return error.WithContext(faulty_ ? "an engine error no fault explains"
                                     : "engine error on a clean session");
  }
  Cut(now);
  return Status::Ok();
}

bool SyncNetwork::BothSettled() const {
  return ends_[0].engine->Settled() && ends_[1].engine->Settled();
}

Result<bool> SyncNetwork::Quiescent(uint64_t now) {
  if (!connected_ || !in_flight_.empty()) return false;
  if (BothSettled()) return true;
  if (!faulty_) return Status::Internal("a clean session stalled: nothing in flight");
  if (now - last_progress_ > kStallTicks) Cut(now);
  return false;
}

void SyncNetwork::Trace(uint64_t now, const std::string& what) const {
  if (!trace_) return;
  std::fprintf(stderr, "[%llu] %s\n", static_cast<unsigned long long>(now), what.c_str());
}

}  // namespace attune::protocol::sync_testing
