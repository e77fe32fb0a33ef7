#pragma once
// What the fuzz targets that go through the service share: a real SQLite store in a fresh
// temporary directory (under /dev/shm when it exists), migrated and seeded with an operator "ops",
// customers "alice" and "bob", a few products, an issued number and a filing in review, a token for
// each account, and the Api serving it. Built once per process on first use; the directory is
// removed at exit. Not thread-safe (libFuzzer runs one input at a time).
#include <memory>
#include <string>
#include <string_view>

#include "fuzz/check.h"
#include "http/api.h"
#include "http/metrics.h"
#include "service/service.h"
#include "store/store.h"

namespace beian::fuzz {

struct World {
  std::string dir;
  std::unique_ptr<Store> store;
  std::unique_ptr<Service> svc;
  std::unique_ptr<http::Metrics> metrics;
  std::unique_ptr<http::Api> api;
  Principal ops, alice, bob;
  std::string ops_token, alice_token, bob_token;
  std::string number;  // alice's issued number, display form
};

// The world; aborts (a fuzzer set-up failure, not a finding) when it cannot be built.
World& GetWorld();

// `in` with the placeholders "@OPS@", "@ALICE@" and "@BOB@" replaced by those accounts' tokens
// and "@SN@" by alice's number, so that corpus entries can reach authenticated routes.
std::string SubstitutePlaceholders(std::string_view in, const World& w);

}  // namespace beian::fuzz
