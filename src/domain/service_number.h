#pragma once
// Service-number codes: 24 random Crockford base32 symbols (120 bits from libsodium's CSPRNG) and
// one check symbol, shown as five groups of five: "7K2QX-9MZ4P-R8T1V-C3W0A-4HJ9D".
// The check symbol is sum(alpha^(i+1) * s_i) over GF(32) (modulus x^5 + x^2 + 1): it catches every
// single-symbol substitution and every transposition of two symbols.
#include <optional>
#include <string>
#include <string_view>

namespace beian {

inline constexpr int kSnDataSymbols = 24;
inline constexpr int kSnSymbols = kSnDataSymbols + 1;
inline constexpr std::size_t kSnDisplayLength = kSnSymbols + kSnSymbols / 5 - 1;  // 29

// A new code in canonical display form. Thread-safe.
std::string GenerateServiceNumber();

// Canonical display form of `input`, or nullopt if it cannot be a number (wrong length, symbol
// outside the alphabet, failing check). Forgiving: case-insensitive, '-' and white space ignored,
// O→0, I/L→1. No allocation beyond the result; no look-up.
std::optional<std::string> ParseServiceNumber(std::string_view input);

}  // namespace beian
