// docs/openapi.yaml (as embedded in the binary) documents exactly the routes of the router, and
// the statuses and problem codes that every operation can get.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "domain/result.h"
#include "http/api.h"
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

// The console's files behind the router's fallback "GET /{path*}", as the document names them
// (OpenAPI path parameters cannot hold a '/').
const std::set<std::string> kFallbackOperations = {"GET /{file}", "GET /pages/{file}"};

std::set<std::string> RouterOperations() {
  std::set<std::string> ops;
  for (const Route& r : Routes()) {
    if (r.path.find("*}") != std::string_view::npos) {
      ops.insert(kFallbackOperations.begin(), kFallbackOperations.end());
      continue;
    }
    ops.insert(std::string(r.method) + " " + std::string(r.path));
  }
  return ops;
}

// The text of responses: each response of each operation under `paths:` (op → status → its
// lines), and each response under `components: responses:` (name → its lines).
struct ResponseTexts {
  std::map<std::string, std::map<std::string, std::string>> operations;
  std::map<std::string, std::string> components;
};

ResponseTexts DocumentedResponseTexts(std::string_view yaml) {
  ResponseTexts out;
  std::istringstream in{std::string(yaml)};
  std::string line;
  std::string path;
  std::string op;
  std::string top;            // the top-level key the line is under
  bool in_responses = false;  // under the current operation's `responses:`
  bool in_component_responses = false;
  std::string* text = nullptr;  // the response being read, if any
  std::size_t text_indent = 0;  // its lines are indented more than this
  const std::regex path_re(R"(^  (/[^:\s]*):\s*$)");
  const std::regex op_re(R"(^    (get|put|post|delete|patch|head|options):)");
  const std::regex status_re(R"re(^        "(\d{3})":)re");
  const std::regex component_re(R"(^    ([A-Za-z0-9]+):)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (text != nullptr && line.size() > text_indent && line[text_indent] == ' ' &&
        line.find_first_not_of(' ') > text_indent) {
      *text += line + "\n";
      continue;
    }
    text = nullptr;
    if (!line.empty() && line[0] != ' ' && line[0] != '#') {
      top = line;
      in_component_responses = false;
    }
    if (top.starts_with("components:") && line.starts_with("  ") && line[2] != ' ') {
      in_component_responses = line == "  responses:";
    }
    if (top.starts_with("paths:")) {
      if (line.starts_with("  ") && line.size() > 2 && line[2] != ' ') {  // a path, or not one
        path = std::regex_match(line, m, path_re) ? std::string(m[1]) : std::string();
        op.clear();
      } else if (std::regex_search(line, m, op_re) && !path.empty()) {
        op = Upper(m[1]) + " " + path;
        in_responses = false;
      } else if (line == "      responses:") {
        in_responses = !op.empty();
      } else if (line.starts_with("      ") && !line.starts_with("       ")) {
        in_responses = false;
      } else if (in_responses && std::regex_search(line, m, status_re)) {
        text = &out.operations[op][m[1]];
        *text = line + "\n";
        text_indent = 8;
      }
    } else if (in_component_responses && std::regex_search(line, m, component_re)) {
      text = &out.components[m[1]];
      *text = line + "\n";
      text_indent = 4;
    }
  }
  return out;
}

// The response statuses ("200", "404", …) declared by each operation under `paths:`.
std::map<std::string, std::set<std::string>> DocumentedStatuses(std::string_view yaml) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& [op, responses] : DocumentedResponseTexts(yaml).operations) {
    for (const auto& [status, text] : responses) out[op].insert(status);
  }
  return out;
}

std::string_view Document() {
  const Asset* doc = FindAsset("docs/openapi.yaml");
  return doc == nullptr ? std::string_view() : doc->data;
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
    if (r.auth == Auth::kNone) continue;
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

TEST(OpenApiTest, RequestsThatEveryApiRouteCanGetAreDeclared) {
  const auto statuses = DocumentedStatuses(Document());
  for (const Route& r : Routes()) {
    if (r.auth == Auth::kNone) continue;
    const std::string op = std::string(r.method) + " " + std::string(r.path);
    const auto it = statuses.find(op);
    ASSERT_NE(it, statuses.end()) << op;
    // A bad or unknown query parameter (every /v1 route checks them) and a bad token.
    EXPECT_TRUE(it->second.count("400")) << op << " can answer 400 but does not declare it";
    EXPECT_TRUE(it->second.count("401")) << op << " can answer 401 but does not declare it";
    // Any body over the limit.
    if (r.method == "PUT" || r.method == "POST") {
      EXPECT_TRUE(it->second.count("413")) << op << " can answer 413 but does not declare it";
    }
  }
}

TEST(OpenApiTest, NoOperationDeclares405WhichOnlyUndeclaredMethodsGet) {
  for (const auto& [op, codes] : DocumentedStatuses(Document())) {
    EXPECT_FALSE(codes.count("405")) << op;
  }
  EXPECT_NE(Document().find("405 `METHOD_NOT_ALLOWED` with an `Allow` header"), std::string::npos);
}

TEST(OpenApiTest, EveryProblemCodeTheServerSendsIsInTheDocument) {
  const std::string_view doc = Document();
  for (int i = 0; i <= static_cast<int>(ErrorCode::kInternal); ++i) {
    const auto code = static_cast<ErrorCode>(i);
    if (code == ErrorCode::kInvalidPolicy || code == ErrorCode::kSchemaTooNew) continue;  // CLI
    const std::string name(ErrorCodeName(code));
    const std::regex listed("[ \\[]" + name + "[,\\]]");
    EXPECT_TRUE(std::regex_search(doc.begin(), doc.end(), listed))
        << name << " not in Problem.code";
  }
}

TEST(OpenApiTest, EveryConsoleFileIsUnderADocumentedPath) {
  for (const Asset& a : EmbeddedAssets()) {
    if (!a.path.starts_with("web/")) continue;
    const std::string_view rel = a.path.substr(4);
    const std::size_t slash = rel.find('/');
    const bool top = slash == std::string_view::npos;
    const bool page = rel.starts_with("pages/") && rel.find('/', 6) == std::string_view::npos;
    EXPECT_TRUE(top || page) << a.path << ": add its path to docs/openapi.yaml and this test";
  }
}

TEST(OpenApiTest, EverySuccessOfAChargedWriteDeclaresTheRateLimitHeaders) {
  const ResponseTexts texts = DocumentedResponseTexts(Document());
  const std::regex ref_re(R"re(\$ref: "#/components/responses/([A-Za-z0-9]+)")re");
  int checked = 0;
  for (const Route& r : Routes()) {
    if (!ChargesWrites(r)) continue;
    const std::string op = std::string(r.method) + " " + std::string(r.path);
    const auto it = texts.operations.find(op);
    ASSERT_NE(it, texts.operations.end()) << op;
    int successes = 0;
    for (const auto& [status, inline_text] : it->second) {
      if (!status.starts_with('2')) continue;
      ++successes;
      std::string text = inline_text;
      std::smatch m;
      if (std::regex_search(inline_text, m, ref_re)) text = texts.components.at(m[1]);
      EXPECT_NE(text.find(" RateLimit-Policy:"), std::string::npos) << op << " " << status;
      EXPECT_NE(text.find(" RateLimit:"), std::string::npos) << op << " " << status;
      ++checked;
    }
    EXPECT_GT(successes, 0) << op << " declares no 2xx";
  }
  EXPECT_GE(checked, 20);
}

TEST(OpenApiTest, ResponseTextParserReadsResponsesAndComponents) {
  const ResponseTexts t = DocumentedResponseTexts(
      "paths:\n  /a:\n    post:\n      responses:\n        \"201\":\n          headers:\n"
      "            X: {}\n        \"400\": {}\n        \"204\": {$ref: \"#/c/R\"}\n"
      "components:\n  headers:\n    H:\n      x: 1\n  responses:\n    R:\n      headers:\n"
      "        Y: {}\n    S: {}\n");
  EXPECT_EQ(t.operations.at("POST /a").at("201"),
            "        \"201\":\n          headers:\n            X: {}\n");
  EXPECT_EQ(t.operations.at("POST /a").size(), 3u);
  EXPECT_EQ(t.components.at("R"), "    R:\n      headers:\n        Y: {}\n");
  EXPECT_EQ(t.components.at("S"), "    S: {}\n");
  EXPECT_EQ(t.components.count("H"), 0u);
}

TEST(OpenApiTest, StatusParserReadsResponsesOfEachOperation) {
  const auto st = DocumentedStatuses(
      "paths:\n  /a:\n    get:\n      responses:\n        \"200\":\n          description: x\n"
      "        \"404\": {$ref: y}\n    post:\n      parameters:\n        \"999\": no\n"
      "      responses:\n        \"201\": {}\ncomponents:\n  responses:\n        \"500\": {}\n");
  EXPECT_EQ(st.at("GET /a"), (std::set<std::string>{"200", "404"}));
  EXPECT_EQ(st.at("POST /a"), (std::set<std::string>{"201"}));
  EXPECT_EQ(st.size(), 2u);
}

TEST(OpenApiTest, ParserSeesOperationsOnlyUnderPaths) {
  const auto ops = DocumentedOperations(
      "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      x: 1\n    post:\n  /b/{id}:\n    put:\n"
      "components:\n  /c:\n    get:\n");
  EXPECT_EQ(ops, (std::set<std::string>{"GET /a", "POST /a", "PUT /b/{id}"}));
}

}  // namespace
}  // namespace beian::http
