#pragma once
// One HTTP/1.1 connection (private to the server; includes Beast). Reads requests with the limits
// of ServerOptions, hands each to the Api (on the worker pool when it calls the service), writes
// the response on the connection's io_context (run by one thread), keeps the connection alive
// when asked to.
#include <array>
#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "http/api.h"
#include "http/framing.h"
#include "http/server.h"

namespace beian::http {

class Session;

// The key of per-client limits, 16 bytes: an IPv4 address (as IPv4-mapped IPv6; also the IPv4
// address in a NAT64 address, 64:ff9b::/96), or the /64 of an IPv6 address (its last 8 bytes
// zero), since a host is commonly given a whole /64 and may use any address in it.
using ClientKey = std::array<unsigned char, 16>;
struct ClientKeyHash {
  std::size_t operator()(const ClientKey& k) const noexcept;
};
ClientKey ClientKeyOf(const boost::asio::ip::address& a);

// What all connections of one server share. Thread-safe.
struct ServerState {
  ServerState(Api& a, boost::asio::thread_pool& w, boost::asio::thread_pool& wr,
              const ServerOptions& o)
      : api(a), workers(w), writers(wr), options(o) {}
  Api& api;
  boost::asio::thread_pool& workers;
  boost::asio::thread_pool& writers;  // for requests that may write; may be `workers`
  const ServerOptions& options;       // max_connections already resolved (not 0)
  // One-row reads (Api::IsOneRowRead) run on the I/O thread that read them (SQLite: such a read
  // is a few microseconds of CPU that never waits for a writer, so a hand-off to a worker and
  // back costs more than it saves).
  bool reads_inline = false;
  // Applies are queued to the store's writer from the I/O thread (Api::TryQueueApply) instead of
  // waiting for their commit on a worker: SQLite, whose writes all go through one thread.
  bool applies_queued = false;
  std::atomic<bool> draining{false};
  std::atomic<int> connections{0};
  std::mutex mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by mu
  std::unordered_map<ClientKey, int, ClientKeyHash> per_client;   // guarded by mu

  // Counts a new connection from `client`: false (counting nothing) when the server or that
  // client is at its cap.
  bool Admit(const ClientKey& client);
  // Uncounts a connection that Admit counted.
  void Release(const ClientKey& client);
  // Asks every connection to close once its request in flight (if any) is answered.
  void DrainAll();
};

// The connection's read buffer as the parser sees it while it reads a head: what the parser
// consumes is also fed to a FoldDetector (Beast unfolds obs-fold lines without telling).
// A DynamicBuffer (v1) over the session's flat_buffer.
class HeadWatchBuffer {
 public:
  using const_buffers_type = boost::beast::flat_buffer::const_buffers_type;
  using mutable_buffers_type = boost::beast::flat_buffer::mutable_buffers_type;
  HeadWatchBuffer(boost::beast::flat_buffer& buffer, FoldDetector& detector)
      : buffer_(buffer), detector_(detector) {}
  std::size_t size() const { return buffer_.size(); }
  std::size_t max_size() const { return buffer_.max_size(); }
  std::size_t capacity() const { return buffer_.capacity(); }
  const_buffers_type data() const { return buffer_.data(); }
  mutable_buffers_type prepare(std::size_t n) { return buffer_.prepare(n); }
  void commit(std::size_t n) { buffer_.commit(n); }
  void consume(std::size_t n);

 private:
  boost::beast::flat_buffer& buffer_;
  FoldDetector& detector_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `client` was counted by state.Admit; the session releases it when destroyed.
  Session(boost::asio::ip::tcp::socket&& socket, ServerState& state, const ClientKey& client);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start();
  // Closes the connection when idle, or after the response in flight. Thread-safe.
  void Drain();

 private:
  void Read();
  // After the head: answers "Expect: 100-continue", then reads the body.
  void OnHeader(boost::beast::error_code ec);
  void ReadBody();
  void OnRead(boost::beast::error_code ec);
  void Dispatch();
  // Runs the request on `pool` and answers it on this connection's thread.
  void RunOnWorker(boost::asio::thread_pool& pool, const ApiRequest& ar, RouteMatch match);
  // Api::TryQueueApply for the request; false when it is not queued.
  bool QueueApply(const ApiRequest& ar, const RouteMatch& match);
  void Respond(ApiResponse resp);
  // Serialises `resp` into head_ and body_ (the response head is written by hand: Beast's
  // response serializer allocates per field).
  void Write(ApiResponse&& resp, bool close, bool http10);
  // Logs the request's line: id, method, target, status, body size, milliseconds.
  void LogRequest(std::string_view method, std::string_view target, int status, std::size_t bytes,
                  double ms);
  void OnWrite(boost::beast::error_code ec, bool close);
  // Answers a request that could not be read or framed (400/413/501) and closes. The request's
  // route and method are kept for the metrics and the log when its head was read.
  void RefuseUnreadable(const Error& error);
  // Discards what the peer still sends (after a half-close) until it stops or time is up.
  void LingerClose();
  void Close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  FoldDetector fold_;
  HeadWatchBuffer head_buffer_{buffer_, fold_};
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::string head_;
  std::string body_;
  ServerState& state_;
  ClientKey client_;
  bool busy_ = false;  // a request is being handled or answered
  bool first_ = true;  // no request read yet
  bool closing_ = false;
  bool head_only_ = false;  // the request in flight is HEAD
  std::string request_id_;
  std::string log_line_;  // the request's log line (kept to reuse its capacity)
  std::chrono::steady_clock::time_point started_;
  std::array<char, 4096> discard_{};
};

}  // namespace beian::http
