#pragma once
// Internal to src/service: products as GetProduct last read them, with the quota use of their
// scope, each kept with the Store's ChangeStamp it was read under (Store::CurrentChangeStamp).
// An entry is returned only while the stamp is still the same, i.e. while nothing at all has been
// committed to the database since: what it holds is then exactly what a read would return now.
#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/entities.h"
#include "store/store.h"

namespace beian::svc {

class ProductCache {
 public:
  struct Entry {
    Product product;
    int used = 0;  // the numbers counted against its quota scope (svc::QuotaUsed)
  };
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kPerShard = 256;  // a full shard is emptied

  // The entry for `product_id` read under `stamp`, or nullopt. Thread-safe; readers do not block
  // each other.
  std::optional<Entry> Find(std::string_view product_id, const ChangeStamp& stamp) const;
  // Keeps `entry` (read in a transaction begun after `stamp` was taken). Thread-safe.
  void Put(const ChangeStamp& stamp, Entry entry);

 private:
  struct Slot {
    ChangeStamp stamp;
    std::shared_ptr<const Entry> entry;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    mutable std::shared_mutex mu;
    std::unordered_map<std::string, Slot, Hash, std::equal_to<>> slots;
  };
  Shard& ShardOf(std::string_view id) const { return shards_[Hash{}(id) % kShards]; }

  mutable std::array<Shard, kShards> shards_;
};

}  // namespace beian::svc
