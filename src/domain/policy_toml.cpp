// Reading the TOML policy file (policy.h LoadPolicyFile / ParsePolicy).
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "domain/policy.h"

namespace beian {
namespace {

constexpr std::int64_t kMaxLimit = 1'000'000;
constexpr std::int64_t kMaxWindowSeconds = 30 * 24 * 3600;

// Collects the first error; the reader stops at it.
class Reader {
 public:
  explicit Reader(std::string_view origin) : origin_(origin) {}

  bool failed() const { return failed_; }
  Error error() const { return error_; }

  void Fail(std::string_view key, std::string_view zh, std::string_view en) {
    if (failed_) return;
    failed_ = true;
    error_ = MakeError(ErrorCode::kInvalidPolicy,
                       Text{"策略文件 " + std::string(origin_) + " 无效：" + std::string(key) +
                                "：" + std::string(zh),
                            "invalid policy file " + std::string(origin_) + ": " +
                                std::string(key) + ": " + std::string(en)});
  }

  void Int(const toml::node& n, const std::string& key, std::int64_t lo, std::int64_t hi,
           int& out) {
    const auto v = n.value_exact<std::int64_t>();
    if (!v || *v < lo || *v > hi) {
      const std::string a = std::to_string(lo);
      const std::string b = std::to_string(hi);
      Fail(key, "应为 " + a + "–" + b + " 之间的整数", "must be an integer from " + a + " to " + b);
      return;
    }
    out = static_cast<int>(*v);
  }

  void Seconds(const toml::node& n, const std::string& key, std::chrono::seconds& out) {
    int v = 0;
    Int(n, key, 1, kMaxWindowSeconds, v);
    if (!failed_) out = std::chrono::seconds{v};
  }

  void Bool(const toml::node& n, const std::string& key, bool& out) {
    const auto v = n.value_exact<bool>();
    if (!v) return Fail(key, "应为 true 或 false", "must be true or false");
    out = *v;
  }

  const toml::table* Table(const toml::node& n, const std::string& key) {
    if (!n.is_table()) Fail(key, "应为表（table）", "must be a table");
    return n.as_table();
  }

  void Unknown(const std::string& key) { Fail(key, "未知的配置项", "unknown key"); }

 private:
  std::string_view origin_;
  bool failed_ = false;
  Error error_;
};

bool IsRegionChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

void ReadRegions(Reader& r, const toml::node& n, Policy& p) {
  const std::string key = "non_mainland_regions";
  const toml::array* arr = n.as_array();
  if (arr == nullptr) return r.Fail(key, "应为字符串数组", "must be an array of strings");
  std::vector<std::string> regions;
  for (const toml::node& item : *arr) {
    const auto s = item.value_exact<std::string>();
    const bool ok =
        s && !s->empty() && s->size() <= 64 && std::all_of(s->begin(), s->end(), IsRegionChar);
    if (!ok) {
      return r.Fail(key, "每项应为地域 ID（字母、数字、-、_、.）",
                    "each item must be a region id (letters, digits, '-', '_', '.')");
    }
    regions.push_back(*s);
  }
  p.non_mainland_regions = std::move(regions);
}

void ReadLimits(Reader& r, const toml::table& t, Policy& p) {
  for (const auto& [k, v] : t) {
    const std::string key = "limits." + std::string(k.str());
    if (k == "sn_lookup_limit") {
      r.Int(v, key, 1, kMaxLimit, p.sn_lookup_limit);
    } else if (k == "vhost_password_limit") {
      r.Int(v, key, 1, kMaxLimit, p.vhost_password_limit);
    } else if (k == "sn_lookup_window_seconds") {
      r.Seconds(v, key, p.sn_lookup_window);
    } else if (k == "vhost_password_window_seconds") {
      r.Seconds(v, key, p.vhost_password_window);
    } else if (k == "token_max_lifetime_days") {
      r.Int(v, key, 0, 3650, p.token_max_lifetime_days);
    } else if (k == "account_write_burst") {
      r.Int(v, key, 1, kMaxLimit, p.account_writes.burst);
    } else if (k == "account_writes_per_minute") {
      r.Int(v, key, 1, kMaxLimit, p.account_writes.per_minute);
    } else if (k == "token_write_burst") {
      r.Int(v, key, 1, kMaxLimit, p.token_writes.burst);
    } else if (k == "token_writes_per_minute") {
      r.Int(v, key, 1, kMaxLimit, p.token_writes.per_minute);
    } else if (k == "import_burst") {
      r.Int(v, key, 1, kMaxLimit, p.imports.burst);
    } else if (k == "imports_per_minute") {
      r.Int(v, key, 1, kMaxLimit, p.imports.per_minute);
    } else if (k == "notice_days") {
      r.Int(v, key, 0, 365, p.notice_days);
    } else if (k == "review_days") {
      r.Int(v, key, 1, 365, p.review_days);
    } else {
      r.Unknown(key);
    }
  }
}

void ReadAudit(Reader& r, const toml::table& t, Policy& p) {
  for (const auto& [k, v] : t) {
    const std::string key = "audit." + std::string(k.str());
    if (k != "retention_days") return r.Unknown(key);
    r.Int(v, key, 0, 36500, p.audit_retention_days);
    if (!r.failed() && p.audit_retention_days > 0 && p.audit_retention_days < 7) {
      r.Fail(key, "应为 0（永久保留）或至少 7 天，以长于 webhook 重试期",
             "must be 0 (keep forever) or at least 7 days, longer than the webhook retry window");
    }
  }
}

template <class E>
void Enum(Reader& r, const toml::node& n, const std::string& key, E& out,
          std::initializer_list<E> values, std::string_view (*name)(E)) {
  const auto s = n.value_exact<std::string>();
  std::string names;
  for (E e : values) {
    if (s && *s == name(e)) {
      out = e;
      return;
    }
    names += (names.empty() ? "\"" : ", \"") + std::string(name(e)) + "\"";
  }
  r.Fail(key, "应为以下之一：" + names, "must be one of " + names);
}

void ReadKind(Reader& r, const toml::table& t, const std::string& prefix, KindPolicy& kp) {
  for (const auto& [k, v] : t) {
    const std::string key = prefix + "." + std::string(k.str());
    if (k == "min_months") {
      r.Int(v, key, 0, 120, kp.min_months);
    } else if (k == "quota") {
      r.Int(v, key, 0, 10'000, kp.quota);
    } else if (k == "needs_public_ip") {
      r.Bool(v, key, kp.needs_public_ip);
    } else if (k == "accepts_vhost_credentials") {
      r.Bool(v, key, kp.accepts_vhost_credentials);
    } else if (k == "scope") {
      Enum(r, v, key, kp.scope, {QuotaScope::kProduct, QuotaScope::kAccount}, QuotaScopeName);
    } else if (k == "issue") {
      Enum(r, v, key, kp.issue, {IssueMode::kOnRequest, IssueMode::kAutomatic, IssueMode::kNever},
           IssueModeName);
    } else {
      r.Unknown(key);
    }
  }
}

void ReadKinds(Reader& r, const toml::table& t, Policy& p) {
  for (const auto& [k, v] : t) {
    const std::string key = "kinds." + std::string(k.str());
    const auto kind = ParseKind(k.str());
    if (!kind) return r.Fail(key, "未知的产品类型", "unknown product kind");
    if (const toml::table* kt = r.Table(v, key)) ReadKind(r, *kt, key, p.kinds[*kind]);
  }
}

void ReadRoot(Reader& r, const toml::table& root, Policy& p) {
  for (const auto& [k, v] : root) {
    const std::string key(k.str());
    if (k == "non_mainland_regions") {
      ReadRegions(r, v, p);
    } else if (k == "limits") {
      if (const toml::table* t = r.Table(v, key)) ReadLimits(r, *t, p);
    } else if (k == "audit") {
      if (const toml::table* t = r.Table(v, key)) ReadAudit(r, *t, p);
    } else if (k == "kinds") {
      if (const toml::table* t = r.Table(v, key)) ReadKinds(r, *t, p);
    } else {
      r.Unknown(key);
    }
    if (r.failed()) return;
  }
}

}  // namespace

Result<Policy> ParsePolicy(std::string_view toml_text, std::string_view origin) {
  Reader reader(origin);
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    const auto& pos = e.source().begin;
    const std::string where =
        "line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column);
    reader.Fail(where, "TOML 语法错误：" + std::string(e.description()),
                "TOML syntax error: " + std::string(e.description()));
    return reader.error();
  }
  Policy p = DefaultPolicy();
  ReadRoot(reader, root, p);
  if (reader.failed()) return reader.error();
  return p;
}

Result<Policy> LoadPolicyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kInvalidPolicy,
                     Text{"无法读取策略文件 " + path, "cannot read policy file " + path});
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return ParsePolicy(buf.str(), path);
}

}  // namespace beian
