#include "http/logging.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <mutex>

namespace beian::http {
namespace {

// Writes formatted lines to stderr; flushes only when asked.
class StderrSink : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t buf;
    formatter_->format(msg, buf);
    std::fwrite(buf.data(), 1, buf.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }
};

std::once_flag g_init;

}  // namespace

void InitLogging() {
  std::call_once(g_init, [] {
    // Lines collect in a 64 KiB stdio buffer: logging costs a copy, not a write or a thread
    // wake-up.
    static char buffer[1 << 16];
    std::setvbuf(stderr, buffer, _IOFBF, sizeof buffer);
    auto logger = std::make_shared<spdlog::logger>("beian", std::make_shared<StderrSink>());
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
