#include "domain/idempotency_key.h"

namespace beian {

Status CheckIdempotencyKey(std::string_view key) {
  bool ok = !key.empty() && key.size() <= kMaxIdempotencyKeyLength;
  for (char ch : key) ok = ok && ch > 0x20 && ch < 0x7f;
  if (ok) return OkStatus();
  Error e = MakeError(ErrorCode::kInvalidRequest,
                      Text{"Idempotency-Key 必须是 1 到 255 个可见 ASCII 字符",
                           "Idempotency-Key must be 1 to 255 visible ASCII characters"});
  e.errors.push_back(FieldError{"Idempotency-Key", e.detail.en, e.detail.zh});
  return e;
}

}  // namespace beian
