#include "domain/service_number.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace beian {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int kManyCodes = 100'000;
constexpr int kSampleCodes = 1'000;

// Reference GF(32) arithmetic, written independently of the codec: carry-less multiply, then
// reduce by x^5 + x^2 + 1.
unsigned GfMul(unsigned a, unsigned b) {
  unsigned r = 0;
  for (int i = 0; i < 5; ++i) {
    if ((b >> i) & 1u) r ^= a << i;
  }
  for (int i = 9; i >= 5; --i) {
    if ((r >> i) & 1u) r ^= 0x25u << (i - 5);
  }
  return r;
}

std::string Symbols(const std::string& display) {
  std::string s;
  for (char c : display) {
    if (c != '-') s += c;
  }
  return s;
}

std::string Display(const std::string& symbols) {
  std::string out;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    if (i > 0 && i % 5 == 0) out += '-';
    out += symbols[i];
  }
  return out;
}

bool ReferenceCheckHolds(const std::string& symbols) {
  unsigned sum = 0;
  unsigned power = 1;
  for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
    power = GfMul(power, 2);
    sum ^= GfMul(power, static_cast<unsigned>(kAlphabet.find(symbols[i])));
  }
  return kAlphabet[sum] == symbols.back();
}

// 2026-09-21T14:13:20Z, in milliseconds: 27,648 ms into its 2^20 ms cycle, so the 100,000 codes
// of Generate do not wrap.
constexpr SnDrawTime kDrawn{std::chrono::milliseconds{1'790'000'000'000}};

// `n` codes drawn a millisecond apart from kDrawn on.
std::vector<std::string> Generate(int n) {
  std::vector<std::string> codes;
  codes.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    codes.push_back(GenerateServiceNumber(kDrawn + std::chrono::milliseconds{i}));
  return codes;
}

// Every accepted way of writing `canonical` that the tests exercise.
std::vector<std::string> Spellings(const std::string& canonical) {
  std::string lower = canonical;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string spaced = canonical;
  std::replace(spaced.begin(), spaced.end(), '-', ' ');
  std::string padded = "\t " + canonical + " \n";
  std::string scattered;
  for (char c : Symbols(canonical)) scattered += std::string(1, c) + " -";
  std::string look_alikes = canonical;
  std::string look_alikes_lower = lower;
  for (std::size_t i = 0; i < canonical.size(); ++i) {
    if (canonical[i] == '0') look_alikes[i] = 'O', look_alikes_lower[i] = 'o';
    if (canonical[i] == '1') {
      look_alikes[i] = (i % 2) ? 'I' : 'L';
      look_alikes_lower[i] = (i % 2) ? 'l' : 'i';
    }
  }
  return {canonical, lower,     Symbols(canonical), Symbols(lower),   spaced,
          padded,    scattered, look_alikes,        look_alikes_lower};
}

TEST(ServiceNumberTest, KnownVectorsPinAlphabetAndCheck) {
  EXPECT_EQ(ParseServiceNumber("00000-00000-00000-00000-00000"), "00000-00000-00000-00000-00000");
  EXPECT_EQ(ParseServiceNumber("00000-00000-00000-00000-0001Y"), "00000-00000-00000-00000-0001Y");
  EXPECT_EQ(ParseServiceNumber("10000-00000-00000-00000-00002"), "10000-00000-00000-00000-00002");
  EXPECT_EQ(ParseServiceNumber("01234-56789-ABCDE-FGHJK-MNPQE"), "01234-56789-ABCDE-FGHJK-MNPQE");
  EXPECT_EQ(ParseServiceNumber("ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZW"), "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZW");
}

TEST(ServiceNumberTest, GeneratedCodesAreCanonicalUniqueAndValid) {
  const std::vector<std::string> codes = Generate(kManyCodes);
  std::unordered_set<std::string> seen(codes.begin(), codes.end());
  EXPECT_EQ(seen.size(), codes.size());
  std::vector<int> symbol_counts(kAlphabet.size());
  std::string previous;
  for (const std::string& code : codes) {
    EXPECT_LT(previous, code) << "within a cycle, a code drawn later sorts after an earlier one";
    previous = code;
    ASSERT_EQ(code.size(), kSnDisplayLength) << code;
    for (std::size_t i = 5; i < code.size(); i += 6) ASSERT_EQ(code[i], '-') << code;
    const std::string symbols = Symbols(code);
    ASSERT_EQ(symbols.size(), static_cast<std::size_t>(kSnSymbols)) << code;
    for (std::size_t i = 0; i < symbols.size(); ++i) {
      ASSERT_NE(kAlphabet.find(symbols[i]), std::string_view::npos) << code;
      if (i >= kSnTimeSymbols && i < kSnDataSymbols) ++symbol_counts[kAlphabet.find(symbols[i])];
    }
    ASSERT_TRUE(ReferenceCheckHolds(symbols)) << code;
  }
  // 2 million random symbols: each of the 32 should appear about 62,500 times.
  for (int count : symbol_counts) EXPECT_GT(count, 59'000);
}

// The time symbols of `code` as a number: its millisecond within the 2^20 ms cycle.
std::uint64_t TimeOfCycle(const std::string& code) {
  std::uint64_t ms = 0;
  for (char c : Symbols(code).substr(0, kSnTimeSymbols)) ms = ms * 32 + kAlphabet.find(c);
  return ms;
}

TEST(ServiceNumberTest, TheTimeSymbolsSpellTheMillisecondOfTheCycle) {
  constexpr std::int64_t kCycle = 1 << 20;
  const std::string code = GenerateServiceNumber(kDrawn);
  EXPECT_EQ(TimeOfCycle(code), 1'790'000'000'000u % kCycle) << code;
  EXPECT_EQ(TimeOfCycle(GenerateServiceNumber(kDrawn + std::chrono::milliseconds{kCycle})),
            TimeOfCycle(code));
  EXPECT_EQ(Symbols(GenerateServiceNumber(SnDrawTime{})).substr(0, kSnTimeSymbols), "0000");
  EXPECT_EQ(TimeOfCycle(GenerateServiceNumber(SnDrawTime{std::chrono::milliseconds{-5}})),
            static_cast<std::uint64_t>(kCycle - 5));
  EXPECT_EQ(TimeOfCycle(GenerateServiceNumber(SnDrawTime{std::chrono::milliseconds{kCycle - 1}})),
            static_cast<std::uint64_t>(kCycle - 1));
  // Two codes of the same millisecond share the time symbols and differ in the random ones.
  const std::string again = GenerateServiceNumber(kDrawn);
  EXPECT_EQ(TimeOfCycle(again), TimeOfCycle(code));
  EXPECT_NE(again, code);
}

TEST(ServiceNumberTest, EveryAcceptedSpellingRoundTrips) {
  for (const std::string& code : Generate(kManyCodes)) {
    for (const std::string& spelling : Spellings(code)) {
      ASSERT_EQ(ParseServiceNumber(spelling), code) << "spelling: " << spelling;
    }
  }
}

TEST(ServiceNumberTest, EverySingleSymbolSubstitutionIsRefused) {
  for (const std::string& code : Generate(kSampleCodes)) {
    const std::string symbols = Symbols(code);
    for (std::size_t pos = 0; pos < symbols.size(); ++pos) {
      for (char other : kAlphabet) {
        if (other == symbols[pos]) continue;
        std::string changed = symbols;
        changed[pos] = other;
        ASSERT_EQ(ParseServiceNumber(Display(changed)), std::nullopt) << Display(changed);
      }
    }
  }
}

TEST(ServiceNumberTest, EveryTranspositionOfDistinctSymbolsIsRefused) {
  int adjacent = 0;
  for (const std::string& code : Generate(kSampleCodes)) {
    const std::string symbols = Symbols(code);
    for (std::size_t i = 0; i < symbols.size(); ++i) {
      for (std::size_t j = i + 1; j < symbols.size(); ++j) {
        if (symbols[i] == symbols[j]) continue;
        std::string swapped = symbols;
        std::swap(swapped[i], swapped[j]);
        ASSERT_EQ(ParseServiceNumber(Display(swapped)), std::nullopt) << Display(swapped);
        if (j == i + 1) ++adjacent;
      }
    }
  }
  EXPECT_GT(adjacent, kSampleCodes * 20);  // the adjacent swaps were really exercised
}

TEST(ServiceNumberTest, MalformedInputIsRefused) {
  const std::string code = GenerateServiceNumber(kDrawn);
  const std::string symbols = Symbols(code);
  const std::vector<std::string> malformed = {
      "",
      "-----",
      "   ",
      symbols.substr(0, 24),    // one symbol short
      symbols + "0",            // one symbol too many
      symbols + symbols,        // twice as long
      "U" + symbols.substr(1),  // U is not in the alphabet
      symbols.substr(0, 12) + "u" + symbols.substr(13),
      symbols.substr(0, 12) + "*" + symbols.substr(13),
      symbols.substr(0, 5) + "_" + symbols.substr(5),  // only '-' and white space are separators
      symbols.substr(0, 5) + "." + symbols.substr(5),
      symbols.substr(0, 5) + std::string(1, '\0') + symbols.substr(5),
      symbols.substr(0, 24) + "\xEF\xBC\x90",  // full-width digit zero
      "SN-" + symbols,
  };
  for (const std::string& input : malformed) {
    EXPECT_EQ(ParseServiceNumber(input), std::nullopt) << input;
  }
}

TEST(ServiceNumberTest, ParseIsIdempotentOnCanonicalForm) {
  const std::string code = GenerateServiceNumber(kDrawn);
  const std::optional<std::string> once = ParseServiceNumber(code);
  ASSERT_TRUE(once.has_value());
  EXPECT_EQ(ParseServiceNumber(*once), once);
}

}  // namespace
}  // namespace beian
