// A TCP relay on loopback that keeps a copy of every byte in each direction, for tests that
// look at what attune actually puts on the wire (as anyone on the network path could), or that
// play someone relaying to the real node from an address of their own. Plain sockets and one
// thread of its own; no Asio, nothing of attune's.
//
// Connections are relayed one at a time, in the order they arrive: each accepted connection is
// joined to a fresh connection to 127.0.0.1:target_port, and both directions are copied until
// both sides have closed (an end of stream is passed on as a half-close). A connection that
// cannot reach the target is closed and recorded empty.
//
// Thread-compatible: call Stop() (or destroy the proxy) before reading what it recorded.
#ifndef ATTUNE_TESTS_E2E_RECORDING_PROXY_H_
#define ATTUNE_TESTS_E2E_RECORDING_PROXY_H_

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace attune::e2e {

class RecordingProxy {
 public:
  // What one relayed connection carried, byte for byte.
  struct Connection {
    std::string from_client;  // client -> target
    std::string from_server;  // target -> client
  };

  // Starts listening on an unused port of 127.0.0.1; listening() says whether that worked.
  explicit RecordingProxy(uint16_t target_port);
  // Listens on `host`:`port` instead (another 127.x.y.z: another device on the network).
  RecordingProxy(uint16_t target_port, const std::string& host, uint16_t port);
  ~RecordingProxy();
  RecordingProxy(const RecordingProxy&) = delete;
  RecordingProxy& operator=(const RecordingProxy&) = delete;

  bool listening() const { return port_ != 0; }
  uint16_t port() const { return port_; }

  // Stops accepting, cuts a relay still in progress, and returns every connection recorded
  // (the one cut short included). Later calls return the same.
  const std::vector<Connection>& Stop();

 private:
  void Serve();
  // Copies between `client` and `server` until both have closed or Stop() is called.
  void Relay(int client, int server, Connection& record);

  uint16_t target_port_;
  uint16_t port_ = 0;
  int listener_ = -1;
  int stop_pipe_[2] = {-1, -1};
  std::thread thread_;
  std::vector<Connection> connections_;  // written by the thread until Stop() has joined it
};

}  // namespace attune::e2e

#endif  // ATTUNE_TESTS_E2E_RECORDING_PROXY_H_
