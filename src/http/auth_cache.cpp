#include "http/auth_cache.h"

#include <mutex>

namespace beian::http {

std::optional<Principal> AuthCache::Find(std::string_view token, Clock::time_point now) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(token);
  if (it == entries_.end() || it->second.expires <= now) return std::nullopt;
  return it->second.who;
}

void AuthCache::Put(std::string_view token, const Principal& who, Clock::time_point now) {
  if (ttl_.count() <= 0 || capacity_ == 0) return;
  std::unique_lock lock(mu_);
  if (entries_.size() >= capacity_) entries_.clear();
  entries_.insert_or_assign(std::string(token), Entry{who, now + ttl_});
}

}  // namespace beian::http
