#pragma once
// Service-number codes: 24 Crockford base32 data symbols and one check symbol, shown as five groups
// of five: "1KQ8Z-6V0M4-R8T1V-C3W0A-4HJ9C".
// The first 4 data symbols are the millisecond at which the code was drawn, modulo 2^20 (a cycle of
// about 17.5 minutes), most significant first; the other 20 are 100 random bits from libsodium's
// CSPRNG. So codes drawn close in time sort close together, and an index keyed by code takes new
// entries at a point that sweeps through it with the clock, not at random pages: a commit of many
// numbers writes a few index pages, not one per number. A code tells the time it was drawn modulo
// 17.5 minutes and nothing else; the 100 random bits keep it unguessable.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace beian {

inline constexpr int kSnDataSymbols = 24;
inline constexpr int kSnSymbols = kSnDataSymbols + 1;
inline constexpr std::size_t kSnDisplayLength = kSnSymbols + kSnSymbols / 5 - 1;  // 29

inline constexpr int kSnTimeSymbols = 4;
using SnDrawTime = std::chrono::sys_time<std::chrono::milliseconds>;

// A new code drawn at `drawn_at`, in canonical display form. Thread-safe.
std::string GenerateServiceNumber(SnDrawTime drawn_at);

// Canonical display form of `input`, or nullopt if it cannot be a number (wrong length, symbol
// outside the alphabet, failing check). Forgiving: case-insensitive, '-' and white space ignored,
// O→0, I/L→1. No allocation beyond the result; no look-up.
std::optional<std::string> ParseServiceNumber(std::string_view input);

}  // namespace beian
