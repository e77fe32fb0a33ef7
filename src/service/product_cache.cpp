#include "service/product_cache.h"

#include <mutex>
#include <utility>

namespace beian::svc {

std::optional<ProductCache::Entry> ProductCache::Find(std::string_view product_id,
                                                      const ChangeStamp& stamp) const {
  const Shard& shard = ShardOf(product_id);
  std::shared_ptr<const Entry> found;
  {
    std::shared_lock lock(shard.mu);
    const auto it = shard.slots.find(product_id);
    if (it == shard.slots.end() || !(it->second.stamp == stamp)) return std::nullopt;
    found = it->second.entry;
  }
  return *found;
}

void ProductCache::Put(const ChangeStamp& stamp, Entry entry) {
  std::string id = entry.product.id;
  Shard& shard = ShardOf(id);
  auto shared = std::make_shared<const Entry>(std::move(entry));
  std::unique_lock lock(shard.mu);
  if (shard.slots.size() >= kPerShard && !shard.slots.contains(id)) shard.slots.clear();
  shard.slots.insert_or_assign(std::move(id), Slot{stamp, std::move(shared)});
}

}  // namespace beian::svc
