#include "fuzz/world.h"

#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "codec/product_json.h"
#include "domain/policy.h"
#include "http/router.h"
#include "store/store.h"

namespace beian::fuzz {
namespace {

std::string g_dir;  // removed at exit

void Die(const std::string& what) {
  std::fprintf(stderr, "fuzz world: %s\n", what.c_str());
  std::abort();
}

template <class T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.error().detail.en);
  return std::move(r.value());
}

std::string MakeTempDir() {
  std::string base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  std::string templ = base + "/beian-fuzz.XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) Die("mkdtemp failed");
  g_dir = templ;
  std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(g_dir, ec);
  });
  return templ;
}

void PutProduct(World& w, std::string_view json) {
  Must(w.svc->UpsertProduct(w.ops, Must(ParseProductJson(json), "seed product")), "upsert");
}

void Seed(World& w) {
  w.ops = SystemPrincipal();
  for (auto [id, role] : {std::pair{"ops", Role::kOperator}, std::pair{"alice", Role::kCustomer},
                          std::pair{"bob", Role::kCustomer}}) {
    AccountChange a;
    a.id = id;
    a.role = role;
    a.name = std::string("fuzz ") + id;
    Must(w.svc->PutAccount(w.ops, a), "put account");
  }
  w.ops_token = Must(w.svc->IssueToken(w.ops, "ops"), "token");
  w.alice_token = Must(w.svc->IssueToken(w.ops, "alice"), "token");
  w.bob_token = Must(w.svc->IssueToken(w.ops, "bob"), "token");
  w.ops = Must(w.svc->Authenticate(w.ops_token), "auth");
  w.alice = Must(w.svc->Authenticate(w.alice_token), "auth");
  w.bob = Must(w.svc->Authenticate(w.bob_token), "auth");
  PutProduct(w, R"({"id":"i-1","account_id":"alice","kind":"ecs","name":"web-1",)"
                R"("billing":"subscription","region":"cn-hangzhou","public_ips":["47.96.1.2"],)"
                R"("expires_at":"2036-11-27T00:00:00+08:00","status":"running"})");
  PutProduct(w, R"({"id":"i-2","account_id":"alice","kind":"ecs","name":"web-2",)"
                R"("billing":"subscription","region":"cn-beijing","public_ips":["47.96.1.3"],)"
                R"("expires_at":"2036-11-27T00:00:00+08:00","status":"running"})");
  PutProduct(w, R"({"id":"vh-1","account_id":"bob","kind":"web_hosting","name":"site",)"
                R"("billing":"subscription","region":"cn-hangzhou",)"
                R"("expires_at":"2036-11-27T00:00:00+08:00","vhost_username":"h1",)"
                R"("vhost_password":"pw-1"})");
  w.number = Must(w.svc->Apply(w.alice, "i-1"), "apply").number.code;
  Must(w.svc->Apply(w.alice, "i-2"), "apply");
  FilingRequest fr;
  fr.domain = "example.com";
  fr.service_number = w.number;
  Must(w.svc->SubmitFiling(w.alice, fr), "filing");
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

}  // namespace

World& GetWorld() {
  static World* world = [] {
    spdlog::set_level(spdlog::level::off);
    auto* w = new World;
    w->dir = MakeTempDir();
    w->store = Must(Store::Open("sqlite:" + w->dir + "/beian.db"), "open");
    if (Status st = w->store->Migrate(); !st.ok()) Die("migrate: " + st.error().detail.en);
    w->svc = std::make_unique<Service>(*w->store, DefaultPolicy());
    w->metrics = std::make_unique<http::Metrics>(http::Routes().size());
    w->api = std::make_unique<http::Api>(*w->svc, *w->metrics);
    Seed(*w);
    return w;
  }();
  return *world;
}

std::string SubstitutePlaceholders(std::string_view in, const World& w) {
  std::string s(in);
  if (s.find('@') == std::string::npos) return s;
  ReplaceAll(s, "@OPS@", w.ops_token);
  ReplaceAll(s, "@ALICE@", w.alice_token);
  ReplaceAll(s, "@BOB@", w.bob_token);
  ReplaceAll(s, "@SN@", w.number);
  return s;
}

}  // namespace beian::fuzz
