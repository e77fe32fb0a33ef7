#include "store/backend_fixture.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>

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
  admin_url_ = admin;
  const std::string name = "beian_t_" + UniqueSuffix();
  error_ = AdminExec(admin_url_, "CREATE DATABASE " + name);
  if (!error_.empty()) return;
  db_name_ = name;
  url_ = WithDatabase(admin_url_, name);
}

TestDatabase::~TestDatabase() {
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  if (!db_name_.empty()) AdminExec(admin_url_, "DROP DATABASE " + db_name_ + " WITH (FORCE)");
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

}  // namespace beian::testing
