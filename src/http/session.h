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
  // Answers a request that could not be read (400/413) and closes.
  void RefuseUnreadable(ErrorCode code);
  // Discards what the peer still sends (after a half-close) until it stops or time is up.
  void LingerClose();
  void Close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
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
