#include "http/session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <charconv>
#include <random>

#include "http/in_process.h"
#include "http/logging.h"
#include "http/problem.h"

namespace beian::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// Sent with every response: only same-origin content, no sniffing, no referrer.
constexpr std::string_view kFixedHeaders =
    "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Referrer-Policy: no-referrer\r\n";

// "xxxxxx-yyyyyyyy": a per-process random prefix and a counter (fits the small-string buffer).
void NextRequestId(std::string& out) {
  static const uint32_t prefix = std::random_device{}() & 0xffffffu;
  static std::atomic<uint32_t> counter{0};
  const uint32_t n = counter.fetch_add(1, std::memory_order_relaxed);
  static constexpr char kHex[] = "0123456789abcdef";
  out.assign(15, '-');
  for (int i = 0; i < 6; ++i)
    out[static_cast<std::size_t>(5 - i)] = kHex[(prefix >> (4 * i)) & 0xf];
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(14 - i)] = kHex[(n >> (4 * i)) & 0xf];
}

void AppendHeader(std::string& head, std::string_view name, std::string_view value) {
  head += name;
  head += ": ";
  head += value;
  head += "\r\n";
}

template <class Number>
void AppendNumber(std::string& out, Number n) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
}

bool IsHttpParseError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

}  // namespace

void HeadWatchBuffer::consume(std::size_t n) {
  if (!detector_.head_done()) {
    const auto bytes = buffer_.data();
    detector_.Feed(
        std::string_view(static_cast<const char*>(bytes.data()), std::min(n, bytes.size())));
  }
  buffer_.consume(n);
}

std::size_t ClientKeyHash::operator()(const ClientKey& k) const noexcept {
  std::size_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : k) h = (h ^ c) * 1099511628211ull;
  return h;
}

ClientKey ClientKeyOf(const asio::ip::address& a) {
  if (a.is_v4()) return asio::ip::make_address_v6(asio::ip::v4_mapped, a.to_v4()).to_bytes();
  const asio::ip::address_v6 v6 = a.to_v6();
  if (v6.is_v4_mapped()) return v6.to_bytes();  // an IPv4 client of a dual-stack socket
  ClientKey key = v6.to_bytes();
  // 64:ff9b::/96 (RFC 6052): an IPv4 client through a NAT64, keyed as that IPv4 client.
  static constexpr std::array<unsigned char, 12> kNat64Prefix = {0x00, 0x64, 0xff, 0x9b};
  if (std::equal(kNat64Prefix.begin(), kNat64Prefix.end(), key.begin())) {
    return ClientKeyOf(asio::ip::address_v4({key[12], key[13], key[14], key[15]}));
  }
  std::fill(key.begin() + 8, key.end(), 0);
  return key;
}

bool ServerState::Admit(const ClientKey& client) {
  std::lock_guard lock(mu);
  if (connections.load() >= options.max_connections) return false;
  int& n = per_client[client];
  if (n >= options.max_connections_per_client) {
    if (n == 0) per_client.erase(client);
    return false;
  }
  ++n;
  connections.fetch_add(1);
  return true;
}

void ServerState::Release(const ClientKey& client) {
  std::lock_guard lock(mu);
  connections.fetch_sub(1);
  auto it = per_client.find(client);
  if (it != per_client.end() && --it->second <= 0) per_client.erase(it);
}

void ServerState::DrainAll() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mu);
    for (auto& [ptr, weak] : sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->Drain();
}

Session::Session(tcp::socket&& socket, ServerState& state, const ClientKey& client)
    : stream_(std::move(socket)), state_(state), client_(client) {}

Session::~Session() {
  {
    std::lock_guard lock(state_.mu);
    state_.sessions.erase(this);
  }
  state_.Release(client_);
}

void Session::Start() {
  {
    std::lock_guard lock(state_.mu);
    state_.sessions.emplace(this, weak_from_this());
  }
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (self->state_.draining.load()) return self->Close();
    self->Read();
  });
}

void Session::Drain() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    if (!self->busy_) self->Close();
  });
}

void Session::Read() {
  parser_.emplace();
  parser_->body_limit(state_.options.body_limit);
  parser_->header_limit(static_cast<std::uint32_t>(state_.options.header_limit));
  // A new connection must send its head soon (slow heads hold a slot: slowloris); a kept-alive
  // one may wait longer for its next request.
  stream_.expires_after(first_ ? state_.options.header_timeout : state_.options.idle_timeout);
  fold_.Reset();
  bhttp::async_read_header(
      stream_, head_buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
}

void Session::OnHeader(beast::error_code ec) {
  if (!ec) {
    if (fold_.folded()) {
      return RefuseUnreadable(
          MakeError(ErrorCode::kInvalidRequest, Text{"请求头使用了已废弃的折行（obs-fold）",
                                                     "obsolete line folding in the request head"}));
    }
    if (std::optional<Error> refusal = CheckRequestHead(parser_->get())) {
      return RefuseUnreadable(*refusal);
    }
  }
  if (ec || parser_->is_done()) return OnRead(ec);
  stream_.expires_after(state_.options.read_timeout);
  if (!beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) return ReadBody();
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  asio::async_write(stream_, asio::buffer(kContinue),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) return self->Close();
                      self->ReadBody();
                    });
}

void Session::ReadBody() {
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
}

void Session::OnRead(beast::error_code ec) {
  first_ = false;
  if (ec == bhttp::error::body_limit)
    return RefuseUnreadable(MakeError(ErrorCode::kPayloadTooLarge));
  if (ec && IsHttpParseError(ec) && ec != bhttp::error::end_of_stream &&
      ec != bhttp::error::partial_message) {
    return RefuseUnreadable(MakeError(ErrorCode::kInvalidRequest));
  }
  if (ec) return Close();
  Dispatch();
}

void Session::Dispatch() {
  busy_ = true;
  started_ = std::chrono::steady_clock::now();
  NextRequestId(request_id_);
  const auto& req = parser_->get();
  // HEAD is answered like GET without the body.
  head_only_ = req.method() == bhttp::verb::head;
  const ApiRequest ar = ToApiRequest(req, request_id_);
  RouteMatch match = state_.api.Match(ar);
  stream_.expires_never();
  const bool reads = req.method() == bhttp::verb::get || head_only_;
  if (!Api::NeedsWorker(match) ||
      (reads && state_.reads_inline && Api::IsOneRowRead(match) && state_.api.MayRunInline(ar))) {
    return Respond(state_.api.Handle(ar, match));
  }
  if (!reads && state_.applies_queued && QueueApply(ar, match)) return;
  RunOnWorker(reads ? state_.workers : state_.writers, ar, std::move(match));
}

void Session::RunOnWorker(asio::thread_pool& pool, const ApiRequest& ar, RouteMatch match) {
  asio::post(pool, [self = shared_from_this(), ar, match = std::move(match),
                    guard = asio::make_work_guard(stream_.get_executor())]() mutable {
    ApiResponse resp = self->state_.api.Handle(ar, match);
    asio::post(self->stream_.get_executor(),
               [self, resp = std::move(resp)]() mutable { self->Respond(std::move(resp)); });
  });
}

bool Session::QueueApply(const ApiRequest& ar, const RouteMatch& match) {
  // Called once, on the store's writer thread: it only posts back to this connection's thread,
  // moving what it holds there (so the writer keeps no reference to the session once it returned),
  // and the guard keeps that thread's context running until then.
  auto done = [self = shared_from_this(), ar, match,
               guard = asio::make_work_guard(stream_.get_executor())](
                  std::optional<QueuedApply> applied) mutable {
    auto executor = self->stream_.get_executor();
    asio::post(executor, [self = std::move(self), ar, match = std::move(match),
                          guard = std::move(guard), applied = std::move(applied)]() mutable {
      if (applied) {
        return self->Respond(self->state_.api.QueuedApplyResponse(*applied, ar, match));
      }
      // Nothing was written: the blocking path answers (a refusal, a retry after a failure).
      self->RunOnWorker(self->state_.writers, ar, std::move(match));
    });
  };
  return state_.api.TryQueueApply(ar, match, std::move(done));
}

void Session::Respond(ApiResponse resp) {
  const auto& req = parser_->get();
  const bool close = !req.keep_alive() || state_.draining.load();
  const auto elapsed = std::chrono::steady_clock::now() - started_;
  state_.api.metrics().Record(resp.route_index, resp.status, elapsed);
  LogRequest(req.method_string(), req.target(), resp.status, resp.body.size(),
             std::chrono::duration<double, std::milli>(elapsed).count());
  Write(std::move(resp), close, req.version() == 10);
  stream_.expires_after(state_.options.read_timeout);
  asio::async_write(stream_, std::array{asio::buffer(head_), asio::buffer(body_)},
                    [self = shared_from_this(), close](beast::error_code ec, std::size_t) {
                      self->OnWrite(ec, close);
                    });
}

void Session::LogRequest(std::string_view method, std::string_view target, int status,
                         std::size_t bytes, double ms) {
  // The line "{id} {method} {target} {status} {bytes}B {ms:.3f}ms", appended by hand (formatting
  // it with fmt took about 2,500 instructions per request).
  log_line_.clear();
  log_line_ += request_id_;
  log_line_ += ' ';
  AppendLogSafe(log_line_, method);
  log_line_ += ' ';
  AppendLogSafe(log_line_, target);
  log_line_ += ' ';
  AppendNumber(log_line_, status);
  log_line_ += ' ';
  AppendNumber(log_line_, bytes);
  log_line_ += "B ";
  char buf[64];
  log_line_.append(buf, std::to_chars(buf, buf + sizeof buf, ms, std::chars_format::fixed, 3).ptr);
  log_line_ += "ms";
  spdlog::info(std::string_view(log_line_));
}

void Session::Write(ApiResponse&& resp, bool close, bool http10) {
  // Appended piece by piece (fmt::format_to parsed its format strings on every response).
  head_.clear();
  const auto status = bhttp::int_to_status(static_cast<unsigned>(resp.status));
  head_ += "HTTP/1.1 ";
  AppendNumber(head_, resp.status);
  head_ += ' ';
  head_ += bhttp::obsolete_reason(status);
  head_ += "\r\n";
  if (!resp.content_type.empty()) AppendHeader(head_, "Content-Type", resp.content_type);
  if (resp.status != 204 && resp.status != 304) {
    head_ += "Content-Length: ";
    AppendNumber(head_, resp.body.size());
    head_ += "\r\n";
  }
  AppendHeader(head_, "Cache-Control", resp.cache_control);
  AppendHeader(head_, "X-Request-Id", request_id_);
  head_ += kFixedHeaders;
  for (const auto& [name, value] : resp.headers) AppendHeader(head_, name, value);
  if (close) {
    head_ += "Connection: close\r\n";
  } else if (http10) {
    head_ += "Connection: keep-alive\r\n";
  }
  head_ += "\r\n";
  body_ = std::move(resp.body);
  if (head_only_) body_.clear();
}

void Session::OnWrite(beast::error_code ec, bool close) {
  busy_ = false;
  if (ec || close) return Close();
  if (state_.draining.load()) return Close();
  Read();
}

void Session::RefuseUnreadable(const Error& error) {
  busy_ = true;
  started_ = std::chrono::steady_clock::now();
  NextRequestId(request_id_);
  // The fields read so far (the whole head when only the body was refused).
  const auto& req = parser_->get();
  const Lang lang = LangFromAcceptLanguage(req[bhttp::field::accept_language]);
  head_only_ = false;
  ApiResponse resp = ProblemResponse(error, lang);
  // Where the request line was read, the route it was for (so a 413 is counted on its route).
  int route = -1;
  if (!req.target().empty()) {
    ApiRequest ar;
    ar.method = req.method() == bhttp::verb::head ? std::string_view("GET")
                                                  : std::string_view(req.method_string());
    ar.target = req.target();
    if (RouteMatch m = state_.api.Match(ar); m.outcome == RouteMatch::kFound) route = m.index;
  }
  state_.api.metrics().Record(route, resp.status, std::chrono::steady_clock::now() - started_);
  if (req.target().empty()) {
    spdlog::info("{} - - {} unreadable request", request_id_, resp.status);
  } else {
    spdlog::info("{} {} {} {} unreadable request", request_id_, LogSafe{req.method_string()},
                 LogSafe{req.target()}, resp.status);
  }
  Write(std::move(resp), true, false);
  stream_.expires_after(std::chrono::seconds(5));
  auto buffers = std::array{asio::buffer(head_), asio::buffer(body_)};
  asio::async_write(stream_, buffers,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->busy_ = false;
                      if (ec) return self->Close();
                      beast::error_code ignored;
                      self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                      self->stream_.expires_after(std::chrono::seconds(2));
                      self->LingerClose();
                    });
}

void Session::LingerClose() {
  stream_.async_read_some(asio::buffer(discard_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) return self->Close();
                            self->LingerClose();
                          });
}

void Session::Close() {
  if (closing_) return;
  closing_ = true;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
}

}  // namespace beian::http
