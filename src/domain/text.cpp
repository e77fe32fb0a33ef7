#include "domain/text.h"

#include <cctype>

namespace beian {

Lang LangFromAcceptLanguage(std::string_view header) {
  std::size_t i = 0;
  while (i < header.size() && (header[i] == ' ' || header[i] == '\t')) ++i;
  if (header.size() - i < 2) return Lang::kZh;
  const char a = static_cast<char>(std::tolower(static_cast<unsigned char>(header[i])));
  const char b = static_cast<char>(std::tolower(static_cast<unsigned char>(header[i + 1])));
  const bool english = a == 'e' && b == 'n' &&
                       (header.size() - i == 2 || header[i + 2] == '-' || header[i + 2] == ',' ||
                        header[i + 2] == ';' || header[i + 2] == ' ');
  return english ? Lang::kEn : Lang::kZh;
}

bool IsUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    // The length of the sequence and the range its second byte must lie in (RFC 3629 section 4).
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (s.size() - i < len) return false;
    const auto second = static_cast<unsigned char>(s[i + 1]);
    if (second < lo || second > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < 0x80 || b > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

}  // namespace beian
