#pragma once
// Internal to src/store: the Store over a pool of SQLite or PostgreSQL connections.
#include "store/pool.h"
#include "store/store.h"

namespace beian::store_internal {

class SqlStore final : public Store {
 public:
  SqlStore(Dialect dialect, Pool::Factory factory, StoreOptions options);

  Dialect dialect() const override { return dialect_; }
  Status Migrate() override;                 // migrate.cpp
  Status CheckSchema() override;             // migrate.cpp
  int LatestSchemaVersion() const override;  // migrate.cpp
  Status Ping() override;

  Pool& pool() { return pool_; }

 protected:
  Status RunTx(TxMode mode, const std::function<void(Tx&)>& body) override;

 private:
  Dialect dialect_;
  StoreOptions options_;
  Pool pool_;
};

// The error a StoreError becomes at the transaction boundary.
Error ErrorFromStoreError(const StoreError& e);

}  // namespace beian::store_internal
