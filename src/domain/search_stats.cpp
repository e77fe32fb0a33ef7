#include "domain/search_stats.h"

namespace beian {

std::string_view SearchTypeName(SearchHit::Type t) {
  switch (t) {
    case SearchHit::Type::kNumber:
      return "number";
    case SearchHit::Type::kProduct:
      return "product";
    case SearchHit::Type::kFiling:
      return "filing";
    case SearchHit::Type::kAccount:
      return "account";
  }
  return "number";
}

std::optional<std::string> TrimSearchQuery(std::string_view q) {
  const auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!q.empty() && space(q.front())) q.remove_prefix(1);
  while (!q.empty() && space(q.back())) q.remove_suffix(1);
  if (q.empty()) return std::nullopt;
  std::size_t chars = 0;
  for (char c : q) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (chars > static_cast<std::size_t>(kSearchMaxQueryChars)) return std::nullopt;
  return std::string(q);
}

std::string_view StatsBucketName(StatsBucket b) { return b == StatsBucket::kHour ? "hour" : "day"; }

std::optional<StatsBucket> ParseStatsBucket(std::string_view s) {
  if (s == "hour") return StatsBucket::kHour;
  if (s == "day") return StatsBucket::kDay;
  return std::nullopt;
}

int64_t StatsBucketSeconds(StatsBucket b) { return b == StatsBucket::kHour ? 3600 : 86400; }

}  // namespace beian
