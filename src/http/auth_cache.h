#pragma once
// A short-lived cache of successful token look-ups, so that a client reusing its token does not
// cost a store read per request. An account's role change takes effect within the TTL. Only
// tokens that authenticated are cached (unknown tokens always reach the store). Thread-safe.
#include <chrono>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "service/service.h"

namespace beian::http {

class AuthCache {
 public:
  using Clock = std::chrono::steady_clock;
  AuthCache(std::chrono::milliseconds ttl, std::size_t capacity) : ttl_(ttl), capacity_(capacity) {}

  // The principal of `token` if it authenticated less than the TTL ago.
  std::optional<Principal> Find(std::string_view token, Clock::time_point now) const;
  // Remembers a successful authentication (drops every entry when full).
  void Put(std::string_view token, const Principal& who, Clock::time_point now);

 private:
  struct Entry {
    Principal who;
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

}  // namespace beian::http
