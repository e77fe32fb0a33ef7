#include "service/webhook_scout.h"

#include "service/service.h"

namespace beian {

std::chrono::milliseconds WebhookScout::AfterIdleRun(int w, const WebhookOptions& options) {
  int expected = -1;
  if (scout_.load(std::memory_order_acquire) == w ||
      scout_.compare_exchange_strong(expected, w, std::memory_order_acq_rel)) {
    return options.poll;
  }
  return options.idle_poll;
}

bool WebhookScout::Found(int w) {
  int expected = w;
  return scout_.compare_exchange_strong(expected, -1, std::memory_order_acq_rel);
}

}  // namespace beian
