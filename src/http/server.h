#pragma once
// The HTTP server of `beian serve` (Boost.Beast; Beast stays out of this header). `io_threads`
// threads each run an io_context of their own, and connections are dealt to them in turn; every
// handler that calls the Service runs on a separate worker pool and its response is posted back
// to the connection's io_context.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "domain/result.h"
#include "service/service.h"

namespace beian::http {

class Sso;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;                     // 0 picks a free port
  int io_threads = 0;                       // 0: the number of cores
  int worker_threads = 0;                   // 0: DefaultWorkers(dialect)
  int writer_threads = 0;                   // 0: DefaultWriters(dialect)
  std::size_t body_limit = 1024 * 1024;     // larger bodies get 413 PAYLOAD_TOO_LARGE
  std::size_t header_limit = 16 * 1024;     // larger request heads get 400
  std::chrono::seconds header_timeout{10};  // a new connection's first request head
  std::chrono::seconds read_timeout{30};    // a request body, or sending a response
  std::chrono::seconds idle_timeout{60};    // between requests on a kept-alive connection
  // Open connections at most (further ones are closed at once); 0: EffectiveMaxConnections.
  int max_connections = 0;
  int max_connections_per_client = 64;  // per client IP address, likewise
  Sso* sso = nullptr;                   // single sign-on (sso.h); nullptr: tokens only
  bool demo = false;  // `beian demo`: GET /auth/session says so (the console's sign-in hint)
};

// Raises the soft limit on open files to the hard limit; returns the soft limit now in force.
// Logs what it got. Thread-safe, idempotent.
long RaiseOpenFileLimit();

// Open files the server keeps for other things than client connections (store, logs, timers).
inline constexpr long kReservedFiles = 128;

// The connection cap for `requested` (0: the default) under the open-file limit `files`: the
// default is half of what the limit leaves after kReservedFiles, at most 10,000; a requested value
// is lowered to files - kReservedFiles when it is larger. At least 1.
int EffectiveMaxConnections(int requested, long files);

// Parses "HOST:PORT" ("127.0.0.1:8080", "[::1]:0", "localhost:80") into options.host and port.
// kInvalidRequest when malformed.
Status ParseListen(std::string_view listen, ServerOptions& options);

// Called once the server accepts connections, with the bound address (the real port).
using ListeningFn = std::function<void(const std::string& host, uint16_t port)>;

// Serves until SIGTERM or SIGINT, then stops accepting, finishes the requests in flight, closes
// idle connections and returns Ok. kUnavailable when the address cannot be bound.
Status Serve(Service& service, const ServerOptions& options, const ListeningFn& on_listening);

using WriteConcurrency = Service::WriteConcurrency;

// The number of CPUs the calling thread may run on (its affinity mask: taskset, a container's
// cpuset), at least 1; all of the machine's when the mask cannot be read. Thread-safe.
int CoreCount();
// Worker threads for service calls: the cores for SQLite, 2×cores+2 for PostgreSQL.
int DefaultWorkers(WriteConcurrency writes);
// Threads for the service calls of requests that may write (any method but GET and HEAD), or 0
// when those share the workers. SQLite: 16×cores, because a write mostly waits for the group
// commit it joined (more writers waiting means larger batches, not more CPU); PostgreSQL: 0.
int DefaultWriters(WriteConcurrency writes);

}  // namespace beian::http
