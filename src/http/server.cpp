#include "http/server.h"

#include <sched.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

#include "http/api.h"
#include "http/metrics.h"
#include "http/session.h"

namespace beian::http {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// At most one log line per `period`; says how many were left out in between. Not thread-safe
// (the listener uses it from its own handlers only).
class LogThrottle {
 public:
  explicit LogThrottle(std::chrono::seconds period) : period_(period) {}
  // True when a line may be written now; `skipped` is then the number of lines left out.
  bool Allow(std::chrono::steady_clock::time_point now, long& skipped) {
    if (now < next_) {
      ++skipped_;
      return false;
    }
    next_ = now + period_;
    skipped = skipped_;
    skipped_ = 0;
    return true;
  }

 private:
  std::chrono::seconds period_;
  std::chrono::steady_clock::time_point next_{};
  long skipped_ = 0;
};

bool OutOfFiles(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == boost::system::errc::too_many_files_open ||
         ec == boost::system::errc::too_many_files_open_in_system ||
         ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

// Accepts connections until stopped; each becomes a Session on the next I/O context in turn
// (each context is run by one thread, so a session's handlers never run at once and need no
// strand). Connections over the server's or their client's cap are closed at once. When the process
// is out of file descriptors (EMFILE, ENFILE), accepting pauses (10 ms, doubling up to 1 s) instead
// of spinning; accept errors are logged at most once per 10 s.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& ioc, std::vector<std::unique_ptr<asio::io_context>>& contexts,
           tcp::acceptor acceptor, ServerState& state)
      : contexts_(contexts),
        strand_(asio::make_strand(ioc)),
        acceptor_(std::move(acceptor)),
        state_(state),
        pause_(strand_) {}

  // Every use of acceptor_, pause_ and next_ after start-up runs on strand_. The first I/O context
  // is run by one thread today, so the strand only matters if it ever gets more; before, two
  // threads ran Stop()'s close and an accept completion at once (found by ThreadSanitizer).
  void Accept() {
    asio::io_context& next = *contexts_[next_++ % contexts_.size()];
    acceptor_.async_accept(
        next.get_executor(),
        asio::bind_executor(
            strand_, [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
              self->OnAccept(ec, std::move(socket));
            }));
  }
  void Stop() {
    asio::post(strand_, [self = shared_from_this()] {
      boost::system::error_code ignored;
      self->acceptor_.close(ignored);
      self->pause_.cancel();
    });
  }

 private:
  void OnAccept(boost::system::error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open() || state_.draining.load()) return;
    if (ec == asio::error::operation_aborted) return;
    if (ec) return OnError(ec);
    backoff_ = std::chrono::milliseconds{0};
    boost::system::error_code peer_ec;
    const tcp::endpoint peer = socket.remote_endpoint(peer_ec);
    const ClientKey client = peer_ec ? ClientKey{} : ClientKeyOf(peer.address());
    if (peer_ec || !state_.Admit(client)) {
      boost::system::error_code ignored;
      socket.close(ignored);
    } else {
      std::make_shared<Session>(std::move(socket), state_, client)->Start();
    }
    Accept();
  }

  void OnError(const boost::system::error_code& ec) {
    const bool out_of_files = OutOfFiles(ec);
    long skipped = 0;
    if (log_.Allow(std::chrono::steady_clock::now(), skipped)) {
      spdlog::warn("accept: {}{} ({} more since the last report; {} connections open)",
                   ec.message(), out_of_files ? ", pausing accept" : "", skipped,
                   state_.connections.load());
    }
    if (!out_of_files) return Accept();
    backoff_ =
        std::clamp(backoff_ * 2, std::chrono::milliseconds{10}, std::chrono::milliseconds{1000});
    pause_.expires_after(backoff_);
    pause_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
      if (wait_ec || !self->acceptor_.is_open()) return;
      self->Accept();
    });
  }

  std::vector<std::unique_ptr<asio::io_context>>& contexts_;
  std::size_t next_ = 0;  // used on strand_ only
  asio::strand<asio::io_context::executor_type> strand_;
  tcp::acceptor acceptor_;
  ServerState& state_;
  asio::steady_timer pause_;
  std::chrono::milliseconds backoff_{0};
  LogThrottle log_{std::chrono::seconds{10}};
};

Result<tcp::acceptor> Bind(asio::io_context& ioc, const ServerOptions& opt) {
  boost::system::error_code ec;
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(opt.host, std::to_string(opt.port), ec);
  if (ec || results.empty()) {
    return MakeError(ErrorCode::kUnavailable,
                     Text{"无法解析监听地址 " + opt.host + "：" + ec.message(),
                          "cannot resolve listen host " + opt.host + ": " + ec.message()});
  }
  tcp::endpoint ep = results.begin()->endpoint();
  tcp::acceptor acceptor(ioc);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return MakeError(
        ErrorCode::kUnavailable,
        Text{
            "无法监听 " + opt.host + ":" + std::to_string(opt.port) + "：" + ec.message(),
            "cannot listen on " + opt.host + ":" + std::to_string(opt.port) + ": " + ec.message()});
  }
  return acceptor;
}

}  // namespace

long RaiseOpenFileLimit() {
  static const long files = [] {
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0) {
      spdlog::warn("open files: cannot read the limit: {}", std::strerror(errno));
      return 1024L;
    }
    const rlim_t before = lim.rlim_cur;
    if (lim.rlim_cur != lim.rlim_max) {
      rlimit raised = lim;
      raised.rlim_cur = lim.rlim_max;
      if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
        lim = raised;
      } else {
        spdlog::warn("open files: cannot raise the soft limit {} to {}: {}", before, lim.rlim_max,
                     std::strerror(errno));
      }
    }
    const long now = lim.rlim_cur == RLIM_INFINITY
                         ? 1L << 20
                         : static_cast<long>(std::min<rlim_t>(lim.rlim_cur, 1L << 30));
    spdlog::info("open files: soft limit {} (was {}, hard limit {})", now,
                 static_cast<long>(before), static_cast<long>(lim.rlim_max));
    return now;
  }();
  return files;
}

int EffectiveMaxConnections(int requested, long files) {
  const long usable = std::max(1L, files - kReservedFiles);
  if (requested <= 0) return static_cast<int>(std::clamp(usable / 2, 1L, 10'000L));
  return static_cast<int>(std::min<long>(requested, usable));
}

int CoreCount() {
  // The CPUs this process may run on (taskset, a container's cpuset), as nginx's
  // `worker_processes auto` counts them: more threads than that only take turns on the same cores.
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

int DefaultWorkers(WriteConcurrency writes) {
  // SQLite work is CPU-bound (more threads than cores only add context switches: measured 2× fewer
  // requests/s with twice the cores); PostgreSQL calls wait on the network.
  return writes == WriteConcurrency::kOneWriter ? CoreCount() : 2 * CoreCount() + 2;
}

int DefaultWriters(WriteConcurrency writes) {
  // Measured over HTTP (2 cores, 32 connections applying): 2 threads 3.9k req/s, 8 5.9k, 16 7.4k;
  // later, with more written per apply, in three paired runs: 16 threads 3.4-4.2k req/s (p99
  // 14.9-16.8 ms), 32 4.0-4.8k (13.8-15.9 ms), 48 no better than 32. On PostgreSQL extra
  // threads only contend for the same cores (16 workers: 10% fewer).
  return writes == WriteConcurrency::kOneWriter ? 16 * CoreCount() : 0;
}

Status ParseListen(std::string_view listen, ServerOptions& options) {
  auto bad = [&] {
    return MakeError(ErrorCode::kInvalidRequest,
                     Text{"监听地址应为 HOST:PORT：" + std::string(listen),
                          "the listen address must be HOST:PORT: " + std::string(listen)});
  };
  std::size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return bad();
  std::string_view host = listen.substr(0, colon);
  std::string_view port = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return bad();
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || port.empty() || ec != std::errc() || end != port.data() + port.size() ||
      value > 65535) {
    return bad();
  }
  options.host = std::string(host);
  options.port = static_cast<uint16_t>(value);
  return OkStatus();
}

Status Serve(Service& service, const ServerOptions& options, const ListeningFn& on_listening) {
  const int io_threads = options.io_threads > 0 ? options.io_threads : CoreCount();
  const WriteConcurrency writes = service.write_concurrency();
  const int workers = options.worker_threads > 0 ? options.worker_threads : DefaultWorkers(writes);
  const int writers = options.writer_threads > 0 ? options.writer_threads : DefaultWriters(writes);
  // One I/O context per thread, each run by that thread alone (as nginx runs one event loop per
  // worker): threads sharing one context contend for its lock and wake each other for every
  // handler (measured: futex calls and context switches on every request).
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  for (int i = 0; i < io_threads; ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
  asio::io_context& ioc = *contexts[0];
  ServerOptions opt = options;
  const long files = RaiseOpenFileLimit();
  opt.max_connections = EffectiveMaxConnections(options.max_connections, files);
  if (options.max_connections > opt.max_connections) {
    spdlog::warn("--max-connections {} is more than {} open files allow: using {}",
                 options.max_connections, files, opt.max_connections);
  }
  spdlog::info("connections: at most {}, {} per client address", opt.max_connections,
               opt.max_connections_per_client);
  BEIAN_ASSIGN_OR_RETURN(tcp::acceptor acceptor, Bind(ioc, opt));
  const tcp::endpoint bound = acceptor.local_endpoint();

  Metrics metrics(Routes().size());
  Api api(service, metrics, std::chrono::seconds(60), options.sso, options.demo);
  asio::thread_pool pool(static_cast<std::size_t>(workers));
  std::optional<asio::thread_pool> writer_pool;
  if (writers > 0) writer_pool.emplace(static_cast<std::size_t>(writers));
  ServerState state{api, pool, writer_pool ? *writer_pool : pool, opt};
  state.reads_inline = writes == WriteConcurrency::kOneWriter;
  state.applies_queued = writes == WriteConcurrency::kOneWriter;
  auto listener = std::make_shared<Listener>(ioc, contexts, std::move(acceptor), state);
  // The other contexts have no work until a connection arrives: kept running until draining.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> idle_guards;
  for (int i = 1; i < io_threads; ++i) idle_guards.push_back(asio::make_work_guard(*contexts[i]));

  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: draining", sig);
    state.draining.store(true);
    listener->Stop();
    state.DrainAll();
    for (auto& g : idle_guards) g.reset();
  });
  listener->Accept();
  if (on_listening) on_listening(bound.address().to_string(), bound.port());

  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(io_threads - 1));
  for (int i = 1; i < io_threads; ++i) {
    threads.emplace_back([&ctx = *contexts[static_cast<std::size_t>(i)]] { ctx.run(); });
  }
  ioc.run();
  for (auto& t : threads) t.join();
  pool.join();
  if (writer_pool) writer_pool->join();
  spdlog::info("stopped");
  return OkStatus();
}

}  // namespace beian::http
