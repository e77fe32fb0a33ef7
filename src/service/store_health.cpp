// The store's health and shape, as far as the HTTP layer needs them (it never sees the Store).
#include "service/service.h"
#include "store/store.h"

namespace beian {

Service::WriteConcurrency Service::write_concurrency() const {
  return store_.dialect() == Dialect::kSqlite ? WriteConcurrency::kOneWriter
                                              : WriteConcurrency::kManyWriters;
}

Status Service::CheckWritable() { return store_.CheckWritable(); }

}  // namespace beian
