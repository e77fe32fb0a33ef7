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

}  // namespace beian
