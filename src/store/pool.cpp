#include "store/pool.h"

namespace beian::store_internal {

Pool::Pool(Factory factory, int max_size)
    : factory_(std::move(factory)), max_size_(max_size < 1 ? 1 : max_size) {}

Pool::Lease::~Lease() {
  if (conn_) pool_->Release(std::move(conn_));
}

Pool::Lease Pool::Acquire() {
  for (;;) {
    std::unique_ptr<Conn> conn;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_size_; });
      if (idle_.empty()) {
        ++open_;
        break;
      }
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
    // An idle connection the server closed meanwhile (a failover, a restart) is replaced here,
    // before a transaction starts on it.
    if (conn->Healthy()) return Lease(this, std::move(conn));
    conn.reset();
    std::lock_guard lock(mu_);
    --open_;
    cv_.notify_one();
  }
  try {
    return Lease(this, factory_());
  } catch (...) {
    std::lock_guard lock(mu_);
    --open_;
    cv_.notify_one();
    throw;
  }
}

void Pool::Seed(std::unique_ptr<Conn> conn) {
  std::lock_guard lock(mu_);
  ++open_;
  idle_.push_back(std::move(conn));
  cv_.notify_one();
}

void Pool::Release(std::unique_ptr<Conn> conn) {
  std::unique_ptr<Conn> doomed;
  {
    std::lock_guard lock(mu_);
    if (conn->Healthy()) {
      idle_.push_back(std::move(conn));
    } else {
      doomed = std::move(conn);
      --open_;
    }
  }
  cv_.notify_one();
}

}  // namespace beian::store_internal
