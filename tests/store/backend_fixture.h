#pragma once
// Store tests on both backends. Each test gets a fresh, migrated database of its own:
//
//   class MyTest : public beian::testing::BackendTest {};
//   TEST_P(MyTest, Works) { store().Write(…); … }
//   BEIAN_INSTANTIATE_BACKENDS(MyTest);   // runs MyTest.* as Backends/MyTest.Works/sqlite and
//   …/postgres
//
// SQLite: a file in a new temporary directory, deleted after the test. PostgreSQL: a database
// created through BEIAN_TEST_PG_ADMIN_URL (run under scripts/with_pg.sh; without it the postgres
// cases FAIL) whose public schema is emptied for each test; databases are reused by later tests of
// the same process (never two at once) and dropped when the process exits.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <type_traits>

#include "store/store.h"

namespace beian::testing {

// One fresh, empty (not migrated) database; removed when destroyed.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& backend);  // "sqlite" or "postgres"
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }  // why it could not be created
  const std::string& url() const { return url_; }      // a Store::Open URL

 private:
  std::string backend_;
  std::string url_;
  std::string error_;
  std::string dir_;      // SQLite: the temporary directory
  std::string db_name_;  // PostgreSQL: the database name
};

// Value-parameterised by backend name ("sqlite" / "postgres").
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  // Creates the database, opens store() with StoreOptions() and migrates it. Subclasses that
  // override SetUp must call BackendTest::SetUp() first (and return if HasFatalFailure()).
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }
  // The URL of this test's database, for child processes and further Stores.
  const std::string& url() const { return db_->url(); }
  bool is_pg() const { return GetParam() == "postgres"; }
  // Opens another Store on this test's database (like a second process would).
  std::unique_ptr<Store> OpenStore(StoreOptions options = {}) const;

  // Run fn(Tx&) in a write / read transaction of store() and return what it returns (void allowed);
  // a transaction error fails the test (EXPECT) and gives a value-initialised result.
  template <class F>
  auto WriteTx(F&& fn) {
    return InTx(true, fn);
  }
  template <class F>
  auto ReadTx(F&& fn) {
    return InTx(false, fn);
  }

 private:
  template <class F>
  auto InTx(bool write, F& fn) {
    using T = std::invoke_result_t<F&, Tx&>;
    if constexpr (std::is_void_v<T>) {
      auto body = [&](Tx& tx) -> Status {
        fn(tx);
        return OkStatus();
      };
      const Status st = write ? store().Write(body) : store().Read(body);
      EXPECT_TRUE(st.ok()) << st.error().detail.en;
    } else {
      auto body = [&](Tx& tx) -> Result<T> { return fn(tx); };
      Result<T> r = write ? store().Write(body) : store().Read(body);
      EXPECT_TRUE(r.ok()) << r.error().detail.en;
      return r.ok() ? std::move(r.value()) : T{};
    }
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Store> store_;
};

// Undoes 013_drop_available_index.sql (the database is at version 12 again), for upgrade tests.
// Does nothing to a database below version 13 but forget later versions.
void UndoDroppedAvailableIndex(Tx& tx);

// Undoes 013 and 012_lapse_times.sql (the database is at version 11 again), for upgrade tests.
void UndoLapseTimes(Tx& tx);

// Names the cases …/sqlite and …/postgres.
std::string BackendName(const ::testing::TestParamInfo<std::string>& info);

}  // namespace beian::testing

#define BEIAN_INSTANTIATE_BACKENDS(Suite)                                                     \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                   \
                           ::testing::Values(std::string("sqlite"), std::string("postgres")), \
                           ::beian::testing::BackendName)
