#pragma once
// Internal to src/store: a bounded pool of driver connections.
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "store/db.h"

namespace beian::store_internal {

// Thread-safe. Keeps at most `max_size` connections; Acquire blocks while all are in use.
// Connections that report !Healthy() when released, or when taken from the idle list (the server
// closed them meanwhile), are closed and replaced on demand.
class Pool {
 public:
  using Factory = std::function<std::unique_ptr<Conn>()>;
  Pool(Factory factory, int max_size);

  // A connection lent to one thread; returned to the pool when destroyed.
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Conn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Conn& operator*() { return *conn_; }
    Conn* operator->() { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Conn> conn_;
  };

  // Throws StoreError (unavailable) when a new connection cannot be opened.
  Lease Acquire();
  // Adds an already opened connection (used by Store::Open to check the URL).
  void Seed(std::unique_ptr<Conn> conn);

 private:
  void Release(std::unique_ptr<Conn> conn);

  Factory factory_;
  const int max_size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_ = 0;
};

}  // namespace beian::store_internal
