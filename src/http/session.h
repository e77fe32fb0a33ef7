#pragma once
// One HTTP/1.1 connection (private to the server; includes Beast). Reads requests with the limits
// of ServerOptions, hands each to the Api (on the worker pool when it calls the service), writes
// the response on the connection's strand, keeps the connection alive when asked to.
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

// What all connections of one server share. Thread-safe.
struct ServerState {
  ServerState(Api& a, boost::asio::thread_pool& w, boost::asio::thread_pool& wr,
              const ServerOptions& o)
      : api(a), workers(w), writers(wr), options(o) {}
  Api& api;
  boost::asio::thread_pool& workers;
  boost::asio::thread_pool& writers;  // for requests that may write; may be `workers`
  const ServerOptions& options;
  std::atomic<bool> draining{false};
  std::atomic<int> connections{0};
  std::mutex mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by mu

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
  Session(boost::asio::ip::tcp::socket&& socket, ServerState& state);
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
  void Respond(ApiResponse resp);
  // Serialises `resp` into head_ and body_ (the response head is written by hand: Beast's
  // response serializer allocates per field).
  void Write(ApiResponse&& resp, bool close, bool http10);
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
  bool busy_ = false;  // a request is being handled or answered
  bool first_ = true;  // no request read yet
  bool closing_ = false;
  bool head_only_ = false;  // the request in flight is HEAD
  std::string request_id_;
  std::chrono::steady_clock::time_point started_;
  std::array<char, 4096> discard_{};
};

}  // namespace beian::http
