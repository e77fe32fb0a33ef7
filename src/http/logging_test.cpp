#include "http/logging.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace beian::http {
namespace {

TEST(LoggingTest, RequestTextIsEscapedForTheLog) {
  EXPECT_EQ(fmt::format("{}", LogSafe{"/v1/products/i-1?limit=2"}), "/v1/products/i-1?limit=2");
  EXPECT_EQ(fmt::format("{}", LogSafe{"/v1/products/\xff\xfe"}), "/v1/products/%FF%FE");
  EXPECT_EQ(fmt::format("{}", LogSafe{"/\xe4\xb8\xad a\tb\x7f"}), "/%E4%B8%AD%20a%09b%7F");
  EXPECT_EQ(fmt::format("{}", LogSafe{std::string_view("a\0b", 3)}), "a%00b");
  EXPECT_EQ(fmt::format("{}", LogSafe{"\r\n"}), "%0D%0A");
  for (std::string_view text :
       {std::string_view("/v1/products/\xff\xfe"), std::string_view("/\xe4\xb8\xad a\tb\x7f"),
        std::string_view("a\0b", 3), std::string_view("ok")}) {
    std::string appended = "x";
    AppendLogSafe(appended, text);
    EXPECT_EQ(appended, "x" + fmt::format("{}", LogSafe{text}));
  }
}

// Sends fd 2 to a file for its lifetime; Text() reads what reached the file so far.
class CapturedStderr {
 public:
  CapturedStderr() {
    char name[] = "/tmp/beian-logging-test.XXXXXX";
    fd_ = ::mkstemp(name);
    path_ = name;
    std::fflush(stderr);
    saved_ = ::dup(STDERR_FILENO);
    ::dup2(fd_, STDERR_FILENO);
  }
  ~CapturedStderr() {
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  std::string Text() const {
    std::ifstream in(path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  int fd_ = -1;
  int saved_ = -1;
  std::string path_;
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Each thread buffers its own lines: every line arrives once and whole, whichever threads wrote
// it, when their buffers filled, when they ended, or at a flush.
TEST(LoggingTest, LinesOfManyThreadsArriveWholeAndOnce) {
  CapturedStderr captured;
  InitLogging();
  constexpr int kThreads = 4;
  constexpr int kLines = 3000;  // ~100 bytes each: several 16 KiB buffers per thread
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < kLines; ++i) {
        spdlog::info("line t{} i{} {}", t, i, std::string(60, static_cast<char>('a' + t)));
      }
    });
  }
  for (std::thread& th : threads) th.join();
  spdlog::default_logger()->flush();
  std::set<std::string> seen;
  int ours = 0;
  for (const std::string& line : Lines(captured.Text())) {
    const std::size_t at = line.find(" info line t");
    if (at == std::string::npos) continue;
    ++ours;
    const std::string rest = line.substr(at + 6);  // "line tT iI xxx…"
    const char t = rest[6];
    EXPECT_EQ(rest.substr(rest.size() - 60), std::string(60, static_cast<char>('a' + (t - '0'))))
        << line;
    EXPECT_TRUE(seen.insert(rest.substr(0, rest.find(' ', 8))).second) << "twice: " << line;
  }
  EXPECT_EQ(ours, kThreads * kLines);
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kThreads * kLines));
}

// A warning is written before the call returns, together with what other threads logged before
// it (they are still running and have not filled their buffers).
TEST(LoggingTest, AWarningFlushesEveryThreadsLines) {
  CapturedStderr captured;
  InitLogging();
  std::promise<void> logged;
  std::promise<void> release;
  std::thread other([&] {
    spdlog::info("before the warning, from another thread");
    logged.set_value();
    release.get_future().wait();
  });
  logged.get_future().wait();
  spdlog::warn("the warning");
  const std::string text = captured.Text();
  release.set_value();
  other.join();
  const std::size_t info = text.find("before the warning, from another thread");
  const std::size_t warn = text.find("warning the warning");
  ASSERT_NE(info, std::string::npos) << text;
  ASSERT_NE(warn, std::string::npos) << text;
  EXPECT_LT(info, warn);
}

// A thread's last lines are written when it ends, without waiting for the next flush.
TEST(LoggingTest, AnEndingThreadWritesItsLines) {
  CapturedStderr captured;
  InitLogging();
  std::thread([] { spdlog::info("the last words of a thread"); }).join();
  EXPECT_NE(captured.Text().find("the last words of a thread"), std::string::npos);
}

}  // namespace
}  // namespace beian::http
