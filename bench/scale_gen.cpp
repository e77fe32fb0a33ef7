// Generates a large beian data set as PostgreSQL COPY text (tab-separated), one table per call:
//
//   scale_gen TABLE PRODUCTS [NOW]   TABLE: accounts products quota_scopes service_numbers
//                                           filings events
//
// For N products: N/10 customer accounts (cu00000000, ten products each) and the operator `op`;
// three numbers per product (3N) with valid check symbols, in code order (the primary key is
// appended to, not scattered); every other product's first number filed (an approved filing),
// every tenth product's second number in review; one `number.issued` event per number. Rows come
// out in primary-key order. Deterministic: the same N gives the same rows. Used by bench/scale.sh.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr unsigned kModulus = 0x25;  // x^5 + x^2 + 1, as in src/domain/service_number.cpp

unsigned MulAlpha(unsigned v) {
  v <<= 1;
  return (v & 0x20u) ? v ^ kModulus : v;
}

// Number j's code: symbols 0-5 are j in base 32 (code order = j order), 6-23 a hash of j, 24 the
// check symbol.
std::string Code(uint64_t j) {
  unsigned s[25];
  for (int k = 0; k < 6; ++k) s[k] = (j >> (5 * (5 - k))) & 31u;
  uint64_t h1 = (j + 1) * 0x9E3779B97F4A7C15ull;
  uint64_t h2 = (j + 7) * 0xC2B2AE3D27D4EB4Full;
  h1 ^= h1 >> 29;
  h2 ^= h2 >> 31;
  for (int k = 0; k < 18; ++k) s[6 + k] = ((k < 12 ? h1 >> (5 * k) : h2 >> (5 * (k - 12)))) & 31u;
  unsigned acc = 0;
  for (int i = 23; i >= 0; --i) acc = MulAlpha(acc ^ s[i]);
  s[24] = acc;
  std::string out;
  for (int i = 0; i < 25; ++i) {
    if (i > 0 && i % 5 == 0) out += '-';
    out += kAlphabet[s[i]];
  }
  return out;
}

// 0: available, 1: filed (approved filing), 2: in review (filing in review).
int NumberState(uint64_t j) {
  const uint64_t k = j / 3, pos = j % 3;
  if (pos == 0 && k % 2 == 0) return 1;
  if (pos == 1 && k % 10 == 0) return 2;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: scale_gen TABLE PRODUCTS [NOW]\n");
    return 2;
  }
  const std::string table = argv[1];
  const uint64_t n = std::strtoull(argv[2], nullptr, 10);
  const long long now = argc > 3 ? std::atoll(argv[3]) : 1790000000LL;
  const long long expires = now + 400LL * 86400;
  static char buf[1 << 20];
  std::setvbuf(stdout, buf, _IOFBF, sizeof buf);
  auto owner = [](uint64_t k) { return static_cast<unsigned long long>(k / 10); };
  if (table == "accounts") {
    std::printf("op\toperator\tplatform operator\t%lld\tadmin reviewer inventory\n", now);
    for (uint64_t c = 0; c < (n + 9) / 10; ++c) {
      std::printf("cu%08llu\tcustomer\tcustomer %llu\t%lld\t\n", static_cast<unsigned long long>(c),
                  static_cast<unsigned long long>(c), now);
    }
  } else if (table == "products") {
    for (uint64_t k = 0; k < n; ++k) {
      const auto kk = static_cast<unsigned long long>(k);
      std::printf(
          "p%09llu\tcu%08llu\tecs\tp%09llu\tsubscription\tcn-hangzhou\t[\"47.96.%llu.%llu\"]\t%"
          "lld\t"
          "running\t\t\t%lld\t%lld\n",
          kk, owner(k), kk, (kk >> 8) & 255, kk & 255, expires, now, now);
    }
  } else if (table == "quota_scopes") {
    for (uint64_t k = 0; k < n; ++k) {
      std::printf("p:p%09llu\t3\n", static_cast<unsigned long long>(k));
    }
  } else if (table == "service_numbers") {
    static const char* kStates[] = {"available", "filed", "in_review"};
    for (uint64_t j = 0; j < 3 * n; ++j) {
      const auto k = static_cast<unsigned long long>(j / 3);
      const auto jj = static_cast<unsigned long long>(j);
      const int st = NumberState(j);
      if (st != 0) {
        std::printf(
            "%s\tp%09llu\tcu%08llu\tecs\tp:p%09llu\t%s\t%lld\td%llu.example.cn\tf-%020llu\n",
            Code(j).c_str(), k, owner(j / 3), k, kStates[st], now, jj, jj);
      } else {
        std::printf("%s\tp%09llu\tcu%08llu\tecs\tp:p%09llu\tavailable\t%lld\t\\N\t\\N\n",
                    Code(j).c_str(), k, owner(j / 3), k, now);
      }
    }
  } else if (table == "filings") {
    for (uint64_t j = 0; j < 3 * n; ++j) {
      const int st = NumberState(j);
      if (st == 0) continue;
      const auto k = static_cast<unsigned long long>(j / 3);
      const auto jj = static_cast<unsigned long long>(j);
      std::printf(
          "f-%020llu\tcu%08llu\tcu%08llu\td%llu.example.cn\t%s\tp%09llu\t%s\t\t%lld\t%lld\n", jj,
          owner(j / 3), owner(j / 3), jj, Code(j).c_str(), k, st == 1 ? "approved" : "in_review",
          now, now);
    }
  } else if (table == "events") {
    // seq = (xid << 20) + n as the store writes it; small xids are older than any snapshot.
    for (uint64_t j = 0; j < 3 * n; ++j) {
      const auto xid = static_cast<unsigned long long>(3 + (j >> 20));
      const auto k = static_cast<unsigned long long>(j / 3);
      std::printf(
          "%llu\t%llu\t%lld\tcu%08llu\tnumber.issued\tcu%08llu\t%s\t{\"product_id\":\"p%09llu\"}\n",
          (xid << 20) + (j & 0xFFFFF), xid, now, owner(j / 3), owner(j / 3), Code(j).c_str(), k);
    }
  } else {
    std::fprintf(stderr, "scale_gen: unknown table %s\n", table.c_str());
    return 2;
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}
