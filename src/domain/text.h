#pragma once
// Bilingual user-facing text: every message and remedy exists in zh-CN and en.
#include <string>
#include <string_view>

namespace beian {

enum class Lang { kZh, kEn };

struct Text {
  std::string zh;
  std::string en;
  const std::string& In(Lang lang) const { return lang == Lang::kEn ? en : zh; }
  bool empty() const { return zh.empty() && en.empty(); }
};

// Picks the language from an Accept-Language header value: en when its first language is English,
// zh-CN otherwise.
Lang LangFromAcceptLanguage(std::string_view header);

// True when s is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF). Text that is not cannot be put into a JSON document, so user input must pass this
// before a message may quote it.
bool IsUtf8(std::string_view s);

}  // namespace beian
