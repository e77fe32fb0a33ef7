#include <algorithm>
#include <istream>
#include <unordered_set>

#include "service/internal.h"

namespace beian {
namespace {

constexpr int64_t kBatchLines = 1000;

struct PendingLine {
  int64_t line = 0;
  svc::PreparedProduct product;
};

ImportLineError LineError(int64_t line, const Error& e) {
  return ImportLineError{line, std::string(ErrorCodeName(e.code)), e.detail.en, e.detail};
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

}  // namespace

Result<ImportReport> Service::Import(const Principal& actor, std::istream& ndjson,
                                     const ImportProgress& progress) {
  if (!actor.HasRole(OperatorRole::kInventory))
    return svc::NeedsRole(actor, OperatorRole::kInventory);
  ImportReport report;
  std::vector<PendingLine> batch;
  // Writes the batch in one transaction; a refused line writes nothing and is reported.
  auto flush = [&]() -> Status {
    if (batch.empty()) return OkStatus();
    const Time now = Now();
    BEIAN_ASSIGN_OR_RETURN(ImportReport done, store_.Write([&](Tx& tx) -> Result<ImportReport> {
      ImportReport part;  // rebuilt on every retry of the transaction
      std::unordered_set<std::string> customers;
      for (const PendingLine& pl : batch) {
        Result<svc::UpsertDone> r =
            svc::UpsertInTx(tx, policy_, actor, now, pl.product, &customers);
        if (!r.ok()) {
          part.failed.push_back(LineError(pl.line, r.error()));
        } else if (r->created) {
          ++part.created;
        } else {
          ++part.updated;
        }
      }
      return part;
    }));
    batch.clear();
    report.created += done.created;
    report.updated += done.updated;
    for (ImportLineError& e : done.failed) report.failed.push_back(std::move(e));
    return OkStatus();
  };

  std::string text;
  int64_t line = 0;
  int64_t bytes = 0;
  int64_t lines_in_batch = 0;
  while (std::getline(ndjson, text)) {
    ++line;
    bytes += static_cast<int64_t>(text.size()) + 1;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (IsBlank(text)) continue;
    Result<ProductInput> parsed = ParseProductJson(text);
    Result<svc::PreparedProduct> prepared =
        parsed.ok() ? svc::PrepareProduct(std::move(parsed).value()) : std::move(parsed).error();
    if (!prepared.ok()) {
      report.failed.push_back(LineError(line, prepared.error()));
    } else {
      batch.push_back(PendingLine{line, std::move(prepared.value())});
    }
    if (++lines_in_batch >= kBatchLines) {
      BEIAN_RETURN_IF_ERROR(flush());
      lines_in_batch = 0;
      if (progress) progress(line, bytes);
    }
  }
  if (ndjson.bad()) {
    return MakeError(ErrorCode::kInternal, Text{"读取输入失败", "reading the input failed"});
  }
  BEIAN_RETURN_IF_ERROR(flush());
  if (progress) progress(line, bytes);
  std::stable_sort(
      report.failed.begin(), report.failed.end(),
      [](const ImportLineError& a, const ImportLineError& b) { return a.line < b.line; });
  return report;
}

}  // namespace beian
