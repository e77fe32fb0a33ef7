#include "domain/service_number.h"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstdlib>

namespace beian {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::uint8_t kInvalid = 0xFF;
constexpr std::uint8_t kSkip = 0xFE;
constexpr unsigned kModulus = 0x25;                              // x^5 + x^2 + 1
constexpr int kRandomSymbols = kSnDataSymbols - kSnTimeSymbols;  // 20: 100 bits
constexpr std::size_t kRandomBytes = 13;                         // 104 bits drawn, 100 used
static_assert(kRandomBytes * 8 >= kRandomSymbols * 5 && kRandomSymbols * 5 >= 96);
constexpr std::uint64_t kTimeCycle = std::uint64_t{1} << (kSnTimeSymbols * 5);

// Symbol value of every input byte, kSkip for separators, kInvalid for anything else.
constexpr std::array<std::uint8_t, 256> MakeDecodeTable() {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = kInvalid;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    const auto c = static_cast<unsigned char>(kAlphabet[i]);
    t[c] = static_cast<std::uint8_t>(i);
    if (c >= 'A' && c <= 'Z') t[c - 'A' + 'a'] = static_cast<std::uint8_t>(i);
  }
  t['O'] = t['o'] = 0;
  t['I'] = t['i'] = t['L'] = t['l'] = 1;
  for (unsigned char c : {'-', ' ', '\t', '\n', '\r', '\v', '\f'}) t[c] = kSkip;
  return t;
}
constexpr std::array<std::uint8_t, 256> kDecode = MakeDecodeTable();

constexpr unsigned MulAlpha(unsigned v) {
  v <<= 1;
  return (v & 0x20u) ? v ^ kModulus : v;
}

// sum over i of alpha^(i+1) * s_i, evaluated by Horner's rule from the last data symbol.
constexpr unsigned CheckSymbol(const std::uint8_t* s) {
  unsigned acc = 0;
  for (int i = kSnDataSymbols - 1; i >= 0; --i) acc = MulAlpha(acc ^ s[i]);
  return acc;
}

std::string Format(const std::uint8_t* symbols) {
  std::string out(kSnDisplayLength, '-');
  for (int i = 0, pos = 0; i < kSnSymbols; ++i, ++pos) {
    if (i > 0 && i % 5 == 0) ++pos;
    out[static_cast<std::size_t>(pos)] = kAlphabet[symbols[i]];
  }
  return out;
}

void EnsureSodium() {
  static const bool kReady = sodium_init() >= 0;
  if (!kReady) std::abort();  // no secure random source: issuing numbers is impossible
}

}  // namespace

std::string GenerateServiceNumber(SnDrawTime drawn_at) {
  EnsureSodium();
  std::array<std::uint8_t, kSnSymbols> symbols;
  // The remainder of a negative count is negative: add a cycle to make it the same time of cycle.
  const auto ms = drawn_at.time_since_epoch().count() % static_cast<std::int64_t>(kTimeCycle);
  const std::uint64_t stamp =
      static_cast<std::uint64_t>(ms < 0 ? ms + static_cast<std::int64_t>(kTimeCycle) : ms);
  for (int i = 0; i < kSnTimeSymbols; ++i) {
    symbols[i] = static_cast<std::uint8_t>((stamp >> (5 * (kSnTimeSymbols - 1 - i))) & 0x1Fu);
  }
  std::array<unsigned char, kRandomBytes> bytes;
  randombytes_buf(bytes.data(), bytes.size());
  unsigned bits = 0;
  int nbits = 0;
  std::size_t next = 0;
  for (int i = kSnTimeSymbols; i < kSnDataSymbols; ++i) {
    if (nbits < 5) {
      bits = (bits << 8) | bytes[next++];
      nbits += 8;
    }
    nbits -= 5;
    symbols[i] = static_cast<std::uint8_t>((bits >> nbits) & 0x1Fu);
  }
  symbols[kSnDataSymbols] = static_cast<std::uint8_t>(CheckSymbol(symbols.data()));
  return Format(symbols.data());
}

std::optional<std::string> ParseServiceNumber(std::string_view input) {
  std::array<std::uint8_t, kSnSymbols> symbols;
  int n = 0;
  for (char ch : input) {
    const std::uint8_t v = kDecode[static_cast<unsigned char>(ch)];
    if (v == kSkip) continue;
    if (v == kInvalid || n == kSnSymbols) return std::nullopt;
    symbols[n++] = v;
  }
  if (n != kSnSymbols || CheckSymbol(symbols.data()) != symbols[kSnDataSymbols]) {
    return std::nullopt;
  }
  return Format(symbols.data());
}

}  // namespace beian
