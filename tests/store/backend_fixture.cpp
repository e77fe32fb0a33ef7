#include "store/backend_fixture.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <vector>

#include "store/tx.h"

namespace beian::testing {
namespace {

// Runs one statement on the admin database; returns "" or the error.
std::string AdminExec(const std::string& admin_url, const std::string& sql) {
  PGconn* conn = PQconnectdb(admin_url.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = std::string("cannot connect to ") + admin_url + ": " + PQerrorMessage(conn);
  } else {
    PGresult* res = PQexec(conn, sql.c_str());
    if (PQresultStatus(res) != PGRES_COMMAND_OK) error = sql + ": " + PQresultErrorMessage(res);
    PQclear(res);
  }
  PQfinish(conn);
  return error;
}

// admin URL with its database name replaced by `db`.
std::string WithDatabase(const std::string& url, const std::string& db) {
  const std::size_t scheme = url.find("://");
  const std::size_t start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const std::size_t query = url.find('?', start == std::string::npos ? 0 : start);
  const std::string base = url.substr(0, start == std::string::npos ? query : start);
  const std::string rest = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + db + rest;
}

std::string UniqueSuffix() {
  static std::atomic<int> counter{0};
  thread_local std::mt19937 rng{std::random_device{}()};
  return std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(rng() % 1000000);
}

// PostgreSQL databases of this process: CREATE and DROP DATABASE take a second each, so a
// database is created once, handed to one TestDatabase at a time with an emptied schema, and
// dropped when the process exits.
class PgDatabases {
 public:
  static PgDatabases& Get() {
    static PgDatabases instance;
    return instance;
  }
  ~PgDatabases() {
    for (const auto& name : all_) AdminExec(admin_url_, "DROP DATABASE " + name + " WITH (FORCE)");
  }

  // Returns the database name, or "" with `error` set.
  std::string Acquire(const std::string& admin_url, std::string& error) {
    std::string name;
    {
      std::lock_guard lock(mu_);
      admin_url_ = admin_url;
      if (!free_.empty()) {
        name = free_.back();
        free_.pop_back();
      }
    }
    if (name.empty()) {
      name = "beian_t_" + UniqueSuffix();
      error = AdminExec(admin_url, "CREATE DATABASE " + name);
      if (!error.empty()) return "";
      std::lock_guard lock(mu_);
      all_.push_back(name);
    }
    error = AdminExec(WithDatabase(admin_url, name),
                      "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
    if (!error.empty()) {
      Release(name);
      return "";
    }
    return name;
  }

  void Release(const std::string& name) {
    std::lock_guard lock(mu_);
    free_.push_back(name);
  }

 private:
  std::mutex mu_;
  std::string admin_url_;
  std::vector<std::string> all_;
  std::vector<std::string> free_;
};

}  // namespace

TestDatabase::TestDatabase(const std::string& backend) : backend_(backend) {
  if (backend == "sqlite") {
    std::error_code ec;
    const auto tmp = std::filesystem::temp_directory_path(ec);
    dir_ = (tmp / ("beian-store-" + UniqueSuffix())).string();
    if (ec || !std::filesystem::create_directory(dir_, ec)) {
      error_ = "cannot create temporary directory " + dir_;
      dir_.clear();
      return;
    }
    url_ = "sqlite:" + dir_ + "/beian.db";
    return;
  }
  if (backend != "postgres") {
    error_ = "unknown backend " + backend;
    return;
  }
  const char* admin = std::getenv("BEIAN_TEST_PG_ADMIN_URL");
  if (admin == nullptr || *admin == '\0') {
    error_ =
        "BEIAN_TEST_PG_ADMIN_URL is not set: PostgreSQL tests need a server; run them as "
        "scripts/with_pg.sh <build-dir>/store_test";
    return;
  }
  db_name_ = PgDatabases::Get().Acquire(admin, error_);
  if (!db_name_.empty()) url_ = WithDatabase(admin, db_name_);
}

TestDatabase::~TestDatabase() {
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  if (!db_name_.empty()) PgDatabases::Get().Release(db_name_);
}

void BackendTest::SetUp() {
  db_ = std::make_unique<TestDatabase>(GetParam());
  ASSERT_TRUE(db_->ok()) << db_->error();
  auto opened = Store::Open(db_->url());
  ASSERT_TRUE(opened.ok()) << opened.error().detail.en;
  store_ = std::move(opened.value());
  const Status migrated = store_->Migrate();
  ASSERT_TRUE(migrated.ok()) << migrated.error().detail.en;
}

void BackendTest::TearDown() {
  store_.reset();
  db_.reset();
}

std::unique_ptr<Store> BackendTest::OpenStore(StoreOptions options) const {
  auto opened = Store::Open(db_->url(), options);
  if (!opened.ok()) {
    ADD_FAILURE() << opened.error().detail.en;
    return nullptr;
  }
  return std::move(opened.value());
}

std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

void UndoDroppedAvailableIndex(Tx& tx) {
  tx.conn().ExecScript(
      "CREATE INDEX IF NOT EXISTS service_numbers_product_available ON service_numbers "
      "(product_id) WHERE state = 'available'");
  tx.conn().Exec("DELETE FROM schema_version WHERE version > 12");
}

void UndoLapseTimes(Tx& tx) {
  UndoDroppedAvailableIndex(tx);
  if (tx.conn().dialect() == Dialect::kPostgres) {
    tx.conn().ExecScript(
        "DROP FUNCTION beian_product_changes() CASCADE; ALTER TABLE products "
        "DROP COLUMN status_changed_at, DROP COLUMN ips_changed_at");
  } else {
    tx.conn().ExecScript(
        "DROP TRIGGER products_status_changed; DROP TRIGGER products_ips_changed; "
        "ALTER TABLE products DROP COLUMN status_changed_at; "
        "ALTER TABLE products DROP COLUMN ips_changed_at");
  }
  tx.conn().Exec("DELETE FROM schema_version WHERE version > 11");
}

}  // namespace beian::testing
