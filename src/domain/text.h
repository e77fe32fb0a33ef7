#pragma once
// Bilingual user-facing text: every message and remedy exists in zh-CN and en.
#include <string>

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

}  // namespace beian
