// docs/openapi.yaml (as embedded in the binary) documents exactly the routes of the router.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "http/assets.h"
#include "http/router.h"

namespace beian::http {
namespace {

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

// "METHOD /path" for every operation under the top-level `paths:` key.
std::set<std::string> DocumentedOperations(std::string_view yaml) {
  std::set<std::string> ops;
  std::istringstream in{std::string(yaml)};
  std::string line;
  std::string path;
  bool in_paths = false;
  const std::regex path_re(R"(^  (/[^:\s]*):\s*$)");
  const std::regex op_re(R"(^    (get|put|post|delete|patch|head|options):)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ' && line[0] != '#') in_paths = line.starts_with("paths:");
    if (!in_paths) continue;
    if (std::regex_match(line, m, path_re)) {
      path = m[1];
    } else if (std::regex_search(line, m, op_re) && !path.empty()) {
      ops.insert(Upper(m[1]) + " " + path);
    }
  }
  return ops;
}

std::set<std::string> RouterOperations() {
  std::set<std::string> ops;
  for (const Route& r : Routes()) {
    std::string path(r.path);
    if (auto star = path.find("*}"); star != std::string::npos) path.erase(star, 1);
    ops.insert(std::string(r.method) + " " + path);
  }
  return ops;
}

TEST(OpenApiTest, DocumentIsEmbedded) {
  const Asset* doc = FindAsset("docs/openapi.yaml");
  ASSERT_NE(doc, nullptr);
  EXPECT_TRUE(doc->data.starts_with("openapi: 3.1"));
}

TEST(OpenApiTest, EveryRouteIsDocumented) {
  const Asset* doc = FindAsset("docs/openapi.yaml");
  ASSERT_NE(doc, nullptr);
  const auto documented = DocumentedOperations(doc->data);
  for (const auto& op : RouterOperations()) {
    EXPECT_TRUE(documented.count(op)) << op << " is routed but not in docs/openapi.yaml";
  }
}

TEST(OpenApiTest, EveryDocumentedOperationIsRouted) {
  const Asset* doc = FindAsset("docs/openapi.yaml");
  ASSERT_NE(doc, nullptr);
  const auto routed = RouterOperations();
  const auto documented = DocumentedOperations(doc->data);
  EXPECT_GE(documented.size(), 20u);
  for (const auto& op : documented) {
    EXPECT_TRUE(routed.count(op)) << op << " is in docs/openapi.yaml but not routed";
  }
}

// "METHOD /path" → the scope names of its `security` requirements (one `- bearer: [scope]` item
// each), for every operation that lists any. "" stands for `- bearer: []` (no scope needed).
std::map<std::string, std::set<std::string>> DocumentedScopes(std::string_view yaml) {
  std::map<std::string, std::set<std::string>> out;
  std::istringstream in{std::string(yaml)};
  std::string line;
  std::string path;
  std::string op;
  bool in_paths = false;
  bool in_security = false;
  const std::regex path_re(R"(^  (/[^:\s]*):\s*$)");
  const std::regex op_re(R"(^    (get|put|post|delete|patch|head|options):)");
  const std::regex item_re(R"(^        - bearer: \[([^\]]*)\]\s*$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ' && line[0] != '#') in_paths = line.starts_with("paths:");
    if (!in_paths) continue;
    if (std::regex_match(line, m, path_re)) {
      path = m[1];
      op.clear();
    } else if (std::regex_search(line, m, op_re) && !path.empty()) {
      op = Upper(m[1]) + " " + path;
      in_security = false;
    } else if (line == "      security:" && !op.empty()) {
      in_security = true;
      out[op];
    } else if (in_security && std::regex_match(line, m, item_re)) {
      out[op].insert(m[1]);
    } else {
      in_security = false;
    }
  }
  return out;
}

TEST(OpenApiTest, EveryAuthenticatedOperationNamesTheScopeTheRouterChecks) {
  const Asset* doc = FindAsset("docs/openapi.yaml");
  ASSERT_NE(doc, nullptr);
  const auto documented = DocumentedScopes(doc->data);
  int checked = 0;
  for (const Route& r : Routes()) {
    if (!r.auth) continue;
    const std::string op = std::string(r.method) + " " + std::string(r.path);
    std::set<std::string> want;
    for (const std::string& name : ScopeNames(r.scopes)) want.insert(name);
    if (want.empty()) want.insert("");
    auto it = documented.find(op);
    ASSERT_NE(it, documented.end()) << op << " has no security requirement in docs/openapi.yaml";
    EXPECT_EQ(it->second, want) << op << ": docs/openapi.yaml and the router disagree";
    ++checked;
  }
  EXPECT_GE(checked, 25);
}

TEST(OpenApiTest, ScopeParserReadsSecurityItems) {
  const auto scopes = DocumentedScopes(
      "paths:\n  /a:\n    get:\n      security:\n        - bearer: [x:read]\n        - bearer: "
      "[y:write]\n      responses: {}\n    post:\n      security:\n        - bearer: []\n");
  EXPECT_EQ(scopes.at("GET /a"), (std::set<std::string>{"x:read", "y:write"}));
  EXPECT_EQ(scopes.at("POST /a"), (std::set<std::string>{""}));
}

TEST(OpenApiTest, ParserSeesOperationsOnlyUnderPaths) {
  const auto ops = DocumentedOperations(
      "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      x: 1\n    post:\n  /b/{id}:\n    put:\n"
      "components:\n  /c:\n    get:\n");
  EXPECT_EQ(ops, (std::set<std::string>{"GET /a", "POST /a", "PUT /b/{id}"}));
}

}  // namespace
}  // namespace beian::http
