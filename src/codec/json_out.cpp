#include "codec/json_out.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace beian {

namespace {

// Bytes that a JSON string cannot hold as they are: control characters, '"' and '\\'.
constexpr std::array<bool, 256> kNeedsEscape = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = true;
  t['"'] = true;
  t['\\'] = true;
  return t;
}();

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  // Eight bytes at a time while none needs escaping (bit tricks: "has a byte less than 0x20",
  // "has a byte equal to '"'", "… to '\\'"; each exact as a yes/no test).
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHighs = 0x8080808080808080ull;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    const uint64_t quote = w ^ (kOnes * '"');
    const uint64_t backslash = w ^ (kOnes * '\\');
    const uint64_t found =
        ((w - kOnes * 0x20) & ~w) | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash);
    if ((found & kHighs) != 0) break;
  }
  while (i < n && !kNeedsEscape[p[i]]) ++i;
  if (i == n) {  // the usual case: nothing to escape
    out += '"';
    out += s;
    out += '"';
    return;
  }
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (; i < n; ++i) {
    const unsigned char c = p[i];
    if (!kNeedsEscape[c]) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    out += '\\';
    switch (c) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '\b':
        out += 'b';
        break;
      case '\t':
        out += 't';
        break;
      case '\n':
        out += 'n';
        break;
      case '\f':
        out += 'f';
        break;
      case '\r':
        out += 'r';
        break;
      default:
        out += "u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void JsonOut::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_) out_ += ',';
  first_ = false;
}

JsonOut& JsonOut::Open(char c) {
  Separate();
  out_ += c;
  first_ = true;
  return *this;
}

JsonOut& JsonOut::Close(char c) {
  out_ += c;
  first_ = false;
  return *this;
}

JsonOut& JsonOut::Key(std::string_view k) {
  Separate();
  AppendJsonString(out_, k);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonOut& JsonOut::String(std::string_view s) {
  Separate();
  AppendJsonString(out_, s);
  return *this;
}

JsonOut& JsonOut::Int(int64_t v) {
  Separate();
  char buf[24];
  out_.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
  return *this;
}

JsonOut& JsonOut::Bool(bool v) {
  Separate();
  out_ += v ? "true" : "false";
  return *this;
}

JsonOut& JsonOut::Null() {
  Separate();
  out_ += "null";
  return *this;
}

}  // namespace beian
