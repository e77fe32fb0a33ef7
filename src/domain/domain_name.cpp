#include "domain/domain_name.h"

#include <arpa/inet.h>
#include <idn2.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

namespace beian {
namespace {

constexpr std::size_t kMaxDomainOctets = 253;
constexpr std::size_t kMaxLabelOctets = 63;
// Longest input worth converting: an A-label name of 253 octets comes from at most 4 UTF-8 octets
// per character.
constexpr std::size_t kMaxInputOctets = 4 * kMaxDomainOctets;

Error Invalid(std::string zh, std::string en) {
  Error e;
  e.code = ErrorCode::kInvalidDomain;
  e.detail = Text{std::move(zh), std::move(en)};
  return e;
}

Error TooLong() { return Invalid("域名超过 253 个字节", "the domain is longer than 253 octets"); }

Error IpLiteral() { return Invalid("IP 地址不是域名", "an IP address is not a domain name"); }

bool IsLdh(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

bool IsIpLiteral(std::string_view s) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  const std::string text(s);
  unsigned char buf[16];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

std::string Quote(char c) {
  if (c == ' ') return "' '";
  if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
    return buf;
  }
  return std::string("'") + c + "'";
}

// Refusals visible in the input before conversion: IP literals, wildcards, and ASCII characters
// that host names never contain (non-ASCII characters are left to IDNA).
std::optional<Error> CheckInput(std::string_view s) {
  if (IsIpLiteral(s)) return IpLiteral();
  for (char c : s) {
    if (c == '*') return Invalid("不接受通配符域名", "a wildcard is not a domain name");
  }
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80 || IsLdh(c) || c == '.') continue;
    return Invalid("域名含有主机名不允许的字符 " + Quote(c),
                   "the domain contains " + Quote(c) + ", which host names do not allow");
  }
  return std::nullopt;
}

std::optional<Error> CheckLabel(std::string_view label) {
  const std::string shown(label);
  if (label.empty()) return Invalid("域名含有空标签（连续的点）", "the domain has an empty label");
  if (label.size() > kMaxLabelOctets) {
    return Invalid("标签“" + shown + "”超过 63 个字节",
                   "label \"" + shown + "\" is over 63 octets");
  }
  if (label.front() == '-' || label.back() == '-') {
    return Invalid("标签“" + shown + "”以连字符开头或结尾",
                   "label \"" + shown + "\" starts or ends with a hyphen");
  }
  for (char c : label) {
    if (!IsLdh(c)) {
      return Invalid("标签“" + shown + "”含有主机名不允许的字符",
                     "label \"" + shown + "\" contains a character host names do not allow");
    }
  }
  return std::nullopt;
}

// Checks the converted name: LDH labels, lengths, at least two labels, not numeric at the top.
std::optional<Error> CheckAscii(std::string_view name) {
  if (name.size() > kMaxDomainOctets) return TooLong();
  std::size_t start = 0;
  int labels = 0;
  std::string_view last;
  while (true) {
    const std::size_t dot = name.find('.', start);
    last = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (auto e = CheckLabel(last)) return e;
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (labels < 2) {
    return Invalid("只有一个标签，不是可备案的域名（例如缺少顶级域）",
                   "a single label is not a registrable domain (no top-level domain)");
  }
  if (last.find_first_not_of("0123456789") == std::string_view::npos) return IpLiteral();
  return std::nullopt;
}

Error FromIdn2(int rc) {
  switch (rc) {
    case IDN2_TOO_BIG_DOMAIN:
      return TooLong();
    case IDN2_TOO_BIG_LABEL:
    case IDN2_PUNYCODE_BIG_OUTPUT:  // the A-label would not fit in 63 octets
      return Invalid("有标签超过 63 个字节", "a label is over 63 octets");
    case IDN2_HYPHEN_STARTEND:
      return Invalid("有标签以连字符开头或结尾", "a label starts or ends with a hyphen");
    case IDN2_2HYPHEN:
      return Invalid("标签第 3、4 位不能是“--”（仅 xn-- 例外）",
                     "a label has \"--\" in its 3rd and 4th positions (reserved except xn--)");
    default: {
      const std::string why = idn2_strerror_name(rc);
      return Invalid("无法转换为 IDNA A 标签（" + why + "）",
                     "the domain cannot be converted to IDNA A-labels (" + why + ")");
    }
  }
}

}  // namespace

Result<std::string> NormalizeDomain(std::string_view input) {
  if (input.empty()) return Invalid("域名为空", "the domain is empty");
  if (input.size() > kMaxInputOctets) return TooLong();
  const bool root_dot = input.back() == '.';
  if (root_dot) input.remove_suffix(1);  // one trailing dot: the root
  if (auto e = CheckInput(input)) return *std::move(e);

  const std::string text(input);
  char* raw = nullptr;
  const int rc = idn2_to_ascii_8z(text.c_str(), &raw, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
  const std::unique_ptr<char, decltype(&std::free)> owned(raw, &std::free);
  if (rc != IDN2_OK) return FromIdn2(rc);

  std::string ascii(owned.get());
  // A trailing full-width dot ("。") becomes '.' only now; it stands for the root as well.
  if (!root_dot && !ascii.empty() && ascii.back() == '.') ascii.pop_back();
  for (char& c : ascii) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (auto e = CheckAscii(ascii)) return *std::move(e);
  return ascii;
}

}  // namespace beian
