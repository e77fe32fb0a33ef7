#pragma once
// Which webhook worker of a process polls for due webhooks. Polling with every worker (four by
// default, every 50 ms) woke the process 80 times a second with nothing to do, each wake a read
// transaction and two context switches taken from the request threads. So one worker at a time,
// the scout, polls every `poll`; the others wait `idle_poll` or until woken. A worker that claims a
// due webhook stops being the scout before it delivers it (the delivery may take the whole
// timeout) and wakes the others: one of them becomes the scout, the rest take the other due
// webhooks. Thread-safe.
#include <atomic>
#include <chrono>

namespace beian {

struct WebhookOptions;

class WebhookScout {
 public:
  // How long worker `w` (0 ≤ w) waits after a run that found nothing due: `poll` when it is the
  // scout or becomes it now (no worker was), `idle_poll` otherwise.
  std::chrono::milliseconds AfterIdleRun(int w, const WebhookOptions& options);
  // Worker `w` claimed a due webhook: it is no longer the scout. True when it was, so that no
  // worker scouts now: the caller then wakes the others (otherwise the scout finds any other due
  // webhook within `poll` and wakes them then).
  [[nodiscard]] bool Found(int w);
  // The scout's index, or -1 when no worker is.
  int scout() const { return scout_.load(std::memory_order_acquire); }

 private:
  std::atomic<int> scout_{-1};
};

}  // namespace beian
