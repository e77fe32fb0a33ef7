#include "cli/open_store.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>

#include "store/store.h"

namespace beian::cli {

void PrintErrorLine(std::string_view what) {
  std::string line = "beian: ";
  bool space = false;
  for (char c : what) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7f) {
      space = true;
      continue;
    }
    if (space && line.back() != ' ') line += ' ';
    space = false;
    line += c;
  }
  line += '\n';
  std::cerr << line;
}

void PrintError(const Error& error) {
  std::string line = std::string(ErrorCodeName(error.code)) + ": " + error.detail.en;
  if (!error.cause.empty()) line += ": " + error.cause;
  PrintErrorLine(line);
}

std::unique_ptr<Store> OpenWaiting(const std::string& url, std::chrono::seconds wait,
                                   int* exit_code) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + wait;
  auto delay = std::chrono::milliseconds(250);
  for (int attempt = 1;; ++attempt) {
    Result<std::unique_ptr<Store>> store = Store::Open(url);
    if (store.ok()) return std::move(store.value());
    const Error& e = store.error();
    *exit_code = e.code == ErrorCode::kInvalidRequest ? 2 : 1;
    const bool postgres = !url.starts_with("sqlite:");
    const bool unreachable = e.cause.starts_with("unreachable:");
    const auto now = Clock::now();
    if (!postgres || !unreachable || now >= deadline) {
      PrintError(e);
      return nullptr;
    }
    const auto pause = std::min<Clock::duration>(delay, deadline - now);
    std::cerr << "beian: waiting for the database (attempt " << attempt << ", next in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(pause).count()
              << " ms): " << e.cause << std::endl;
    std::this_thread::sleep_for(pause);
    delay = std::min(delay * 2, std::chrono::milliseconds(5000));
  }
}

std::unique_ptr<Store> OpenCheckedStore(const std::string& url) {
  Result<std::unique_ptr<Store>> store = Store::Open(url);
  if (!store.ok()) {
    PrintError(store.error());
    return nullptr;
  }
  if (Status st = (*store)->CheckSchema(); !st.ok()) {
    PrintError(st.error());
    return nullptr;
  }
  return std::move(store.value());
}

bool ConfigureTokenPepper(Service& service, bool warn) {
  constexpr std::size_t kMinPepper = 32;
  std::string pepper;
  std::string origin;
  if (const char* file = std::getenv("BEIAN_TOKEN_PEPPER_FILE"); file != nullptr && *file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "beian: INVALID_REQUEST: cannot read BEIAN_TOKEN_PEPPER_FILE " << file << '\n';
      return false;
    }
    pepper.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    while (!pepper.empty() && (pepper.back() == '\n' || pepper.back() == '\r')) pepper.pop_back();
    origin = "BEIAN_TOKEN_PEPPER_FILE";
  } else if (const char* value = std::getenv("BEIAN_TOKEN_PEPPER"); value != nullptr && *value) {
    pepper = value;
    origin = "BEIAN_TOKEN_PEPPER";
  }
  if (origin.empty()) {
    if (warn) {
      std::cerr << "beian: warning: no token pepper configured (BEIAN_TOKEN_PEPPER_FILE or "
                   "BEIAN_TOKEN_PEPPER); token hashes use the built-in key\n";
    }
    return true;
  }
  if (pepper.size() < kMinPepper) {
    std::cerr << "beian: INVALID_REQUEST: the token pepper from " << origin
              << " must be at least 32 bytes\n";
    return false;
  }
  service.SetTokenPepper(std::move(pepper));
  return true;
}

std::optional<Policy> LoadPolicyOrPrint(const std::string& path) {
  if (path.empty()) return DefaultPolicy();
  Result<Policy> p = LoadPolicyFile(path);
  if (!p.ok()) {
    PrintError(p.error());
    return std::nullopt;
  }
  return std::move(p.value());
}

}  // namespace beian::cli
