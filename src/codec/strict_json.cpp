#include "codec/strict_json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>
#include <unordered_set>
#include <vector>

namespace beian {
namespace json = boost::json;
namespace {

// The keys of one object: a short list while small, a hash set beyond (so a body of many keys costs
// linear time).
class KeySet {
 public:
  // False (leaving `k` untouched) when `k` is already in the set.
  bool Insert(std::string&& k) {
    if (set_.empty()) {
      for (const std::string& seen : small_) {
        if (seen == k) return false;
      }
      if (small_.size() < kSmall) {
        small_.push_back(std::move(k));
        return true;
      }
      set_.insert(small_.begin(), small_.end());
    }
    if (set_.contains(k)) return false;
    set_.insert(std::move(k));
    return true;
  }

 private:
  static constexpr std::size_t kSmall = 16;
  std::vector<std::string> small_;
  std::unordered_set<std::string> set_;
};

// Builds the value on a value_stack, as json::parser does, and keeps the keys of each open object
// to refuse a repeated one.
struct Handler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack st;
  std::vector<KeySet> keys;  // one entry per open object
  std::string key;           // the key being read
  std::string duplicate;     // the repeated key, when `repeated`
  bool repeated = false;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    keys.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    keys.pop_back();
    st.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key.append(s.data(), s.size());
    st.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key.append(s.data(), s.size());
    if (!keys.back().Insert(std::move(key))) {
      duplicate = std::move(key);
      repeated = true;
      ec = json::error::syntax;  // stops the parser; reported as a duplicate key
      return false;
    }
    key.clear();
    st.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view, json::error_code&) {
    st.push_double(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

std::optional<json::value> ParseStrictJson(std::string_view text, Text& problem,
                                           std::string* duplicate_key) {
  json::basic_parser<Handler> p(json::parse_options{});
  p.handler().st.reset();
  json::error_code ec;
  const std::size_t n = p.write_some(false, text.data(), text.size(), ec);
  if (!ec && n < text.size()) ec = json::error::extra_data;
  if (ec) {
    const std::string& dup = p.handler().duplicate;
    if (p.handler().repeated) {
      const std::string quoted = json::serialize(json::string(dup));
      problem = Text{"重复的键 " + quoted, "duplicate key " + quoted};
      if (duplicate_key != nullptr) *duplicate_key = dup;
    } else {
      problem = Text{ec.message(), ec.message()};
    }
    return std::nullopt;
  }
  return p.handler().st.release();
}

}  // namespace beian
