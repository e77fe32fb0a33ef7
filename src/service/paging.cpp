#include <string>

#include "service/internal.h"

namespace beian::svc {
namespace {

constexpr int kMaxLimit = 500;

}  // namespace

Result<std::string> PageStart(PageList list, std::string_view token) {
  if (token.empty()) return std::string();
  return DecodePageToken(list, token);
}

Status CheckLimit(int limit) {
  if (limit < 1 || limit > kMaxLimit) {
    return InvalidField("limit",
                        Text{"limit 须在 1 到 500 之间", "limit must be between 1 and 500"});
  }
  return OkStatus();
}

}  // namespace beian::svc
