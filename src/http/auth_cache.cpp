#include "http/auth_cache.h"

#include <mutex>

namespace beian::http {

std::optional<Principal> AuthCache::Find(std::string_view token, const Stamp& stamp,
                                         Clock::time_point now, Time wall_now) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(token);
  if (it == entries_.end()) return std::nullopt;
  const Entry& e = it->second;
  if (e.expires <= now || !(e.stamp == stamp)) return std::nullopt;
  if (e.who.expires_at && *e.who.expires_at <= wall_now) return std::nullopt;
  return e.who;
}

void AuthCache::Put(std::string_view token, const Principal& who, const Stamp& stamp,
                    Clock::time_point now) {
  if (ttl_.count() <= 0 || capacity_ == 0) return;
  std::unique_lock lock(mu_);
  if (entries_.size() >= capacity_) entries_.clear();
  entries_.insert_or_assign(std::string(token), Entry{who, stamp, now + ttl_});
}

namespace {

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

CredentialWatch::CredentialWatch(Service& svc, std::chrono::milliseconds interval,
                                 std::chrono::milliseconds max_age)
    : svc_(svc), interval_(interval), max_age_(max_age), thread_([this] { Run(); }) {}

CredentialWatch::~CredentialWatch() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::optional<int64_t> CredentialWatch::Current() const {
  const int64_t started = read_started_ns_.load(std::memory_order_acquire);
  if (started == 0 || SteadyNanos() - started >=
                          std::chrono::duration_cast<std::chrono::nanoseconds>(max_age_).count()) {
    return std::nullopt;
  }
  return generation_.load(std::memory_order_acquire);
}

void CredentialWatch::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    const int64_t started = SteadyNanos();
    Result<int64_t> gen = svc_.CredentialGeneration();
    if (gen.ok()) {
      // The generation first, then the time: a reader that sees the new time sees this value.
      generation_.store(*gen, std::memory_order_release);
      read_started_ns_.store(started, std::memory_order_release);
    }
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

}  // namespace beian::http
