// ParseProductJson (product_json.h): one product object as an operator sends it.
#include "codec/product_json.h"

#include <arpa/inet.h>

#include <array>
#include <boost/json.hpp>
#include <set>

#include "codec/strict_json.h"

namespace beian {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxName = 256;
constexpr std::size_t kMaxRegion = 64;
constexpr std::size_t kMaxUsername = 128;
constexpr std::size_t kMaxPassword = 1024;
constexpr std::size_t kMaxIps = 64;

constexpr std::array<std::string_view, 11> kFields{
    "id",         "account_id", "kind",   "name",           "billing",       "region",
    "public_ips", "expires_at", "status", "vhost_username", "vhost_password"};

// Collects one problem per field; the Error's detail names the first.
class Problems {
 public:
  void Add(std::string_view field, std::string zh, std::string en) {
    if (list_.empty() && field.empty()) first_ = Text{zh, en};
    if (list_.empty() && !field.empty()) {
      first_ = Text{std::string(field) + "：" + zh, std::string(field) + ": " + en};
    }
    list_.push_back(FieldError{std::string(field), std::move(en), std::move(zh)});
  }
  bool empty() const { return list_.empty(); }
  Error ToError() && {
    Error e = MakeError(ErrorCode::kInvalidRequest, std::move(first_));
    e.errors = std::move(list_);
    return e;
  }

 private:
  Text first_;
  std::vector<FieldError> list_;
};

bool IsRegionChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

class ProductReader {
 public:
  explicit ProductReader(const json::object& obj) : obj_(obj) {}

  Result<ProductInput> Read() && {
    for (const auto& kv : obj_) {
      const std::string_view key = kv.key();
      if (std::find(kFields.begin(), kFields.end(), key) == kFields.end()) {
        unknown_.insert(std::string(key));
      }
    }
    ReadIdentity();
    ReadBilling();
    ReadIps();
    ReadVhost();
    for (const std::string& key : unknown_) problems_.Add(key, "未知字段", "unknown field");
    if (!problems_.empty()) return std::move(problems_).ToError();
    return std::move(in_);
  }

 private:
  // The field's value when present and not null.
  const json::value* Get(std::string_view key) const {
    const json::value* v = obj_.if_contains(key);
    return v == nullptr || v->is_null() ? nullptr : v;
  }

  // A string field; reports missing (when required) and wrong types.
  std::optional<std::string_view> String(std::string_view key, bool required) {
    const json::value* v = Get(key);
    if (v == nullptr) {
      if (required) problems_.Add(key, "缺少必填字段", "required");
      return std::nullopt;
    }
    if (!v->is_string()) {
      problems_.Add(key, "应为字符串", "must be a string");
      return std::nullopt;
    }
    return std::string_view(v->get_string());
  }

  // True when the field was present and valid.
  template <class E>
  bool Enum(std::string_view key, bool required, std::optional<E> (*parse)(std::string_view),
            E& out) {
    const auto s = String(key, required);
    if (!s) return false;
    if (const auto e = parse(*s)) {
      out = *e;
      return true;
    }
    const std::string shown = json::serialize(json::string(*s));  // quoted and escaped
    problems_.Add(key, "取值无效：" + shown, "unknown value " + shown);
    return false;
  }

  void ReadIdentity() {
    Product& p = in_.product;
    if (const auto id = String("id", true)) {
      if (IsValidProductId(*id)) {
        p.id = *id;
      } else {
        problems_.Add("id", "应匹配 [A-Za-z0-9._:-]{1,128}", "must match [A-Za-z0-9._:-]{1,128}");
      }
    }
    if (const auto acc = String("account_id", true)) {
      if (IsValidAccountId(*acc)) {
        p.account_id = *acc;
      } else {
        problems_.Add("account_id", "应匹配 [A-Za-z0-9._-]{1,64}",
                      "must match [A-Za-z0-9._-]{1,64}");
      }
    }
    Enum("kind", true, ParseKind, p.kind);
    if (const auto name = String("name", false)) {
      if (name->size() <= kMaxName) {
        p.name = *name;
      } else {
        problems_.Add("name", "不能超过 256 字节", "must be at most 256 bytes");
      }
    }
  }

  void ReadBilling() {
    Product& p = in_.product;
    const bool billing_ok = Enum("billing", true, ParseBilling, p.billing);
    if (const auto region = String("region", true)) {
      if (!region->empty() && region->size() <= kMaxRegion &&
          std::all_of(region->begin(), region->end(), IsRegionChar)) {
        p.region = *region;
      } else {
        problems_.Add("region", "应为地域 ID，如 cn-hangzhou",
                      "must be a region id such as cn-hangzhou");
      }
    }
    if (const auto at = String("expires_at", false)) {
      if (const auto t = ParseRfc3339(*at)) {
        p.expires_at = *t;
      } else {
        problems_.Add("expires_at", "应为 RFC 3339 时间，如 2027-11-27T00:00:00+08:00",
                      "must be an RFC 3339 date-time such as 2027-11-27T00:00:00+08:00");
      }
    } else if (billing_ok && p.billing == Billing::kSubscription && Get("expires_at") == nullptr) {
      problems_.Add("expires_at", "包年包月计费时必填", "required for subscription billing");
    }
    Enum("status", false, ParseProductStatus, p.status);
  }

  void ReadIps() {
    const json::value* v = Get("public_ips");
    if (v == nullptr) return;
    if (!v->is_array() || v->get_array().size() > kMaxIps) {
      problems_.Add("public_ips", "应为 IP 地址字符串数组（最多 64 个）",
                    "must be an array of at most 64 IP address strings");
      return;
    }
    for (const json::value& item : v->get_array()) {
      const auto ip = item.is_string() ? CanonicalIp(item.get_string()) : std::nullopt;
      if (!ip) {
        const std::string shown = json::serialize(item);  // quoted and escaped
        problems_.Add("public_ips", "不是有效的 IPv4 或 IPv6 地址：" + shown,
                      "not an IPv4 or IPv6 address: " + shown);
        return;
      }
      in_.product.public_ips.push_back(*ip);
    }
  }

  void ReadVhost() {
    if (const auto user = String("vhost_username", false)) {
      if (user->size() <= kMaxUsername) {
        in_.product.vhost_username = *user;
      } else {
        problems_.Add("vhost_username", "不能超过 128 字节", "must be at most 128 bytes");
      }
    }
    if (const auto pass = String("vhost_password", false)) {
      if (!pass->empty() && pass->size() <= kMaxPassword) {
        in_.vhost_password = std::string(*pass);
      } else {
        problems_.Add("vhost_password", "长度应为 1–1024 字节", "must be 1 to 1024 bytes");
      }
    }
  }

  const json::object& obj_;
  ProductInput in_;
  Problems problems_;
  std::set<std::string> unknown_;
};

}  // namespace

Result<ProductInput> ParseProductJson(std::string_view text) {
  Text problem;
  std::string duplicate;
  const std::optional<json::value> parsed = ParseStrictJson(text, problem, &duplicate);
  if (!parsed) {
    Problems p;
    p.Add(duplicate, "不是有效的 JSON：" + problem.zh, "not valid JSON: " + problem.en);
    return std::move(p).ToError();
  }
  const json::value& doc = *parsed;
  if (!doc.is_object()) {
    Problems p;
    p.Add("", "应为 JSON 对象", "must be a JSON object");
    return std::move(p).ToError();
  }
  return ProductReader(doc.get_object()).Read();
}

std::optional<std::string> CanonicalIp(std::string_view s) {
  const std::string text(s);
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN];
  for (int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, text.c_str(), buf) == 1 &&
        inet_ntop(family, buf, out, sizeof out) != nullptr) {
      return std::string(out);
    }
  }
  return std::nullopt;
}

}  // namespace beian
