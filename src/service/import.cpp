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

// The fault that stopped an import after lines 1..through were committed, told so that the client
// knows what was applied and where to resume (the cause stays in the log).
Error StoppedPartWay(Error e, int64_t through, const ImportReport& done) {
  const std::string n = std::to_string(through);
  const std::string next = std::to_string(through + 1);
  const std::string counts =
      std::to_string(done.created) + " created, " + std::to_string(done.updated) + " updated";
  const std::string counts_zh =
      "新建 " + std::to_string(done.created) + " 个，更新 " + std::to_string(done.updated) + " 个";
  e.detail =
      Text{"导入因数据库故障中止：第 1–" + n + " 行已生效（" + counts_zh +
               "），之后的行可能未生效。请稍后从第 " + next +
               " 行起重新提交（重复提交已生效的行无害，导入是按 id "
               "更新或新建）；如持续出现，请联系平台运维并提供 request_id。",
           "The import stopped at a database fault: lines 1–" + n + " were applied (" + counts +
               ") and later lines may not have been. Retry later from line " + next +
               " (sending applied lines again is harmless: an import upserts by id). If "
               "this persists, contact the operator with the request_id."};
  if (e.cause.empty()) e.cause = "internal: import stopped after line " + n;
  e.applied_through_line = through;
  return e;
}

}  // namespace

Result<ImportReport> Service::Import(const Principal& actor, std::istream& ndjson,
                                     const ImportProgress& progress) {
  if (!actor.HasRole(OperatorRole::kInventory))
    return svc::NeedsRole(actor, OperatorRole::kInventory);
  ImportReport report;
  std::vector<PendingLine> batch;
  int64_t line = 0;
  int64_t committed_through = 0;  // every line up to this one is committed (or was refused)
  // Writes the batch in one transaction; a refused line writes nothing and is reported. A fault
  // after earlier batches committed says which lines were applied.
  auto flush = [&]() -> Status {
    if (batch.empty()) {
      committed_through = line;
      return OkStatus();
    }
    const Time now = Now();
    Result<ImportReport> written = store_.Write([&](Tx& tx) -> Result<ImportReport> {
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
    });
    if (!written.ok()) {
      if (committed_through == 0) return std::move(written).error();
      return StoppedPartWay(std::move(written).error(), committed_through, report);
    }
    ImportReport done = std::move(written).value();
    batch.clear();
    committed_through = line;
    report.created += done.created;
    report.updated += done.updated;
    for (ImportLineError& e : done.failed) report.failed.push_back(std::move(e));
    return OkStatus();
  };

  std::string text;
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
  report.failed_count = static_cast<int64_t>(report.failed.size());
  if (report.failed.size() > kImportFailuresListed) report.failed.resize(kImportFailuresListed);
  return report;
}

}  // namespace beian
