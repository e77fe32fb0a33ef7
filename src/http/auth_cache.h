#pragma once
// A cache of successful token look-ups, so that a client reusing its token does not cost a store
// read per request, made exact by the store's credential generation: every change that can take a
// credential's power away (revocation, rotation, a disabled account, a role change) bumps the
// generation in its transaction, and an entry is used only while the generation it was stored
// under is still the current one (and this process's own epoch of such changes is unchanged).
// Entries also end at the credential's expiry and after the TTL. Only successful authentications
// are cached. Thread-safe.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "service/service.h"

namespace beian::http {

class AuthCache {
 public:
  using Clock = std::chrono::steady_clock;
  // What an authentication was valid against.
  struct Stamp {
    int64_t generation = 0;
    uint64_t local_epoch = 0;
    bool operator==(const Stamp&) const = default;
  };
  AuthCache(std::chrono::milliseconds ttl, std::size_t capacity) : ttl_(ttl), capacity_(capacity) {}

  // The principal of `token` if it was stored under `stamp` less than the TTL ago and its
  // credential has not expired by `wall_now`.
  std::optional<Principal> Find(std::string_view token, const Stamp& stamp, Clock::time_point now,
                                Time wall_now) const;
  // Remembers a successful authentication made under `stamp` (drops every entry when full).
  void Put(std::string_view token, const Principal& who, const Stamp& stamp, Clock::time_point now);

 private:
  struct Entry {
    Principal who;
    Stamp stamp;
    Clock::time_point expires;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::chrono::milliseconds ttl_;
  std::size_t capacity_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;  // guarded by mu_
};

// Reads the store's credential generation every `interval` on its own thread. Current() is the
// generation read by a poll that started less than `max_age` ago, or nullopt (the store is slow
// or unreachable: callers must not trust cached authentications then). A change committed at T is
// therefore seen by every caller after T + max_age at the latest. Thread-safe.
class CredentialWatch {
 public:
  CredentialWatch(Service& svc, std::chrono::milliseconds interval,
                  std::chrono::milliseconds max_age);
  ~CredentialWatch();
  CredentialWatch(const CredentialWatch&) = delete;
  CredentialWatch& operator=(const CredentialWatch&) = delete;

  std::optional<int64_t> Current() const;

 private:
  void Run();

  Service& svc_;
  const std::chrono::milliseconds interval_;
  const std::chrono::milliseconds max_age_;
  std::atomic<int64_t> generation_{0};
  std::atomic<int64_t> read_started_ns_{0};  // steady clock; 0 = never read
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace beian::http
