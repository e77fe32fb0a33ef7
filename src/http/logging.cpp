#include "http/logging.h"

#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace beian::http {
namespace {

// Lines of one thread, gathered until a flush. `mu` is taken by its thread to append and by a
// flushing thread to take the lines; neither holds it across a write(2).
struct ThreadLines {
  std::mutex mu;
  std::vector<char> text;
  std::unique_ptr<spdlog::formatter> formatter;  // only its own thread formats (not thread-safe)
};

// Writes `text` to stderr in pieces of at most PIPE_BUF bytes that end at a line's end, so that
// lines of several threads never interleave, even on a pipe.
void WriteLines(std::string_view text) {
  constexpr std::size_t kAtomic = 4096;  // PIPE_BUF on Linux
  while (!text.empty()) {
    std::size_t n = text.size();
    if (n > kAtomic) {
      const std::size_t cut = text.rfind('\n', kAtomic - 1);
      n = cut == std::string_view::npos ? kAtomic : cut + 1;
    }
    const ssize_t w = ::write(STDERR_FILENO, text.data(), n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;  // nowhere to log to: drop the lines
    text.remove_prefix(static_cast<std::size_t>(w));
  }
}

// spdlog's sinks format and write every line under one mutex: the I/O threads contended for it
// on every request, and the one that filled the buffer made the write(2) holding it. Here each
// thread formats into its own buffer, which goes out when it reaches kFlushBytes, at every flush
// (each second, at a warning or error, at shutdown: see InitLogging) and when the thread ends.
class ThreadBufferSink : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 public:
  static constexpr std::size_t kFlushBytes = 16 * 1024;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    ThreadLines& lines = Mine();
    spdlog::memory_buf_t buf;
    lines.formatter->format(msg, buf);
    std::vector<char> full;
    {
      std::lock_guard lock(lines.mu);
      lines.text.insert(lines.text.end(), buf.data(), buf.data() + buf.size());
      if (lines.text.size() >= kFlushBytes) full.swap(lines.text);
    }
    WriteLines({full.data(), full.size()});
  }
  void flush_() override {
    std::vector<std::shared_ptr<ThreadLines>> all;
    {
      std::lock_guard lock(registry_mu_);
      all = registry_;
    }
    for (const auto& lines : all) Drain(*lines);
    std::fflush(stderr);
  }
  void set_formatter_(std::unique_ptr<spdlog::formatter> f) override {
    std::lock_guard lock(registry_mu_);
    formatter_ = std::move(f);
    for (const auto& lines : registry_) lines->formatter = formatter_->clone();
  }

 private:
  // Owns a thread's buffer: registers it on the thread's first line, writes what is left and
  // unregisters it when the thread ends.
  struct Holder {
    ThreadBufferSink* sink = nullptr;
    std::shared_ptr<ThreadLines> lines;
    ~Holder() {
      if (sink != nullptr) sink->Unregister(lines);
    }
  };

  static void Drain(ThreadLines& lines) {
    std::vector<char> taken;
    {
      std::lock_guard lock(lines.mu);
      taken.swap(lines.text);
    }
    WriteLines({taken.data(), taken.size()});
  }

  ThreadLines& Mine() {
    thread_local Holder holder;
    if (holder.lines == nullptr) {
      holder.lines = std::make_shared<ThreadLines>();
      std::lock_guard lock(registry_mu_);
      holder.lines->formatter = formatter_->clone();
      registry_.push_back(holder.lines);
      holder.sink = this;
    }
    return *holder.lines;
  }

  void Unregister(const std::shared_ptr<ThreadLines>& lines) {
    Drain(*lines);
    std::lock_guard lock(registry_mu_);
    std::erase(registry_, lines);
  }

  std::mutex registry_mu_;  // guards registry_ and formatter_ (after construction)
  std::vector<std::shared_ptr<ThreadLines>> registry_;
};

std::once_flag g_init;

}  // namespace

void InitLogging() {
  std::call_once(g_init, [] {
    // The sink lives as long as the process: threads' buffers point back to it when they end.
    static auto* sink = new std::shared_ptr<ThreadBufferSink>(std::make_shared<ThreadBufferSink>());
    auto logger = std::make_shared<spdlog::logger>("beian", *sink);
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    spdlog::flush_every(std::chrono::seconds(1));
  });
}

void ShutdownLogging() {
  spdlog::default_logger()->flush();
  std::fflush(stderr);
  spdlog::shutdown();
}

void AppendLogSafe(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b > 0x20 && b < 0x7f) {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    }
  }
}

}  // namespace beian::http
