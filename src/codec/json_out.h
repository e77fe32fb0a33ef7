#pragma once
// Appends JSON text to a string directly, for the hot responses: building a Boost.JSON tree and
// serialising it allocates every key and value twice. The text is the same bytes
// boost::json::serialize gives for the same values in the same order (json_out_test.cpp).
#include <cstdint>
#include <string>
#include <string_view>

namespace beian {

// `s` as a JSON string: `"` and `\` escaped, control characters as \b \t \n \f \r or \u00xx;
// every other byte (UTF-8 included) as it is.
void AppendJsonString(std::string& out, std::string_view s);

// Writes one JSON value, object or array by calls in document order; keeps track of commas.
// Keys are written as JSON strings too.
class JsonOut {
 public:
  explicit JsonOut(std::string& out) : out_(out) {}

  JsonOut& BeginObject() { return Open('{'); }
  JsonOut& EndObject() { return Close('}'); }
  JsonOut& BeginArray() { return Open('['); }
  JsonOut& EndArray() { return Close(']'); }
  // The key of the next member of the enclosing object.
  JsonOut& Key(std::string_view k);
  JsonOut& String(std::string_view s);
  JsonOut& Int(int64_t v);
  JsonOut& Bool(bool v);
  JsonOut& Null();

 private:
  JsonOut& Open(char c);
  JsonOut& Close(char c);
  void Separate();

  std::string& out_;
  bool first_ = true;       // no value yet in the innermost array or object
  bool after_key_ = false;  // a key was written; its value comes next
};

}  // namespace beian
