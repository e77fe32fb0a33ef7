#include <algorithm>
#include <istream>

#include "service/internal.h"

namespace beian {
namespace {

constexpr int64_t kBatchLines = 1000;

ImportLineError LineError(int64_t line, const Error& e) {
  return ImportLineError{line, std::string(ErrorCodeName(e.code)), e.detail.en, e.detail};
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// Keeps the first kImportFailuresListed refused lines by line number (failed_count counts all).
// Called once every line up to the last one read is in `failed` or written, so no later line can
// come before the ones kept.
void TrimFailures(ImportReport& report) {
  std::stable_sort(
      report.failed.begin(), report.failed.end(),
      [](const ImportLineError& a, const ImportLineError& b) { return a.line < b.line; });
  if (report.failed.size() > kImportFailuresListed) report.failed.resize(kImportFailuresListed);
}

// The error that stopped an import after lines 1..through were processed (each written or
// refused), told so that the client knows what was done and where to resume (the cause of a fault
// stays in the log). A 503 is worth retrying later; anything else needs the operator first.
Error StoppedPartWay(Error e, int64_t through, const ImportReport& report) {
  int64_t refused = report.failed_count;
  for (const ImportLineError& f : report.failed) refused -= f.line > through ? 1 : 0;
  const std::string n = std::to_string(through);
  const std::string next = std::to_string(through + 1);
  const std::string created = std::to_string(report.created);
  const std::string updated = std::to_string(report.updated);
  const std::string failed = std::to_string(refused);
  const bool later = HttpStatusOf(e.code) == 503;
  e.detail = Text{
      "导入未能完成：第 1–" + n + " 行已处理（新建 " + created + " 个，更新 " + updated +
          " 个，拒绝 " + failed + " 行），之后的行可能未生效。" +
          (later ? "请稍后" : "请联系平台运维并提供 request_id，修复后") + "从第 " + next +
          " 行起重新提交；若要查看被拒绝的行，可重新提交第 1–" + n +
          " 行（导入按 id 更新或新建，重复提交已生效的行无害）。",
      "The import could not finish: lines 1–" + n + " were processed (" + created + " created, " +
          updated + " updated, " + failed + " refused) and later lines may not have been. " +
          (later ? "Retry later" : "Contact the operator with the request_id; once fixed, send") +
          " from line " + next + ". To see the refused lines, send lines 1–" + n +
          " again (an import upserts by id, so applied lines change nothing)."};
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
  std::vector<svc::ImportRow> batch;
  int64_t line = 0;
  int64_t committed_through = 0;  // every line up to this one is committed or refused
  auto refuse = [&](ImportLineError e) {
    report.failed.push_back(std::move(e));
    ++report.failed_count;
  };
  // Writes the batch in one transaction; a refused line writes nothing and is reported. A fault
  // after earlier batches committed says how far the import got.
  auto flush = [&]() -> Status {
    if (batch.empty()) {
      committed_through = line;
      TrimFailures(report);
      return OkStatus();
    }
    const Time now = Now();
    Result<ImportReport> written = WriteTx([&](Tx& tx) -> Result<ImportReport> {
      ImportReport part;  // rebuilt on every retry of the transaction
      svc::ImportBatchDone done = svc::ImportBatchInTx(tx, policy_, actor, now, batch);
      part.created = done.created;
      part.updated = done.updated;
      for (const auto& [at, error] : done.refused) part.failed.push_back(LineError(at, error));
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
    for (ImportLineError& e : done.failed) refuse(std::move(e));
    TrimFailures(report);  // bounds memory: a body of refused lines keeps at most the cap
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
      refuse(LineError(line, prepared.error()));
    } else {
      batch.push_back(svc::ImportRow{line, std::move(prepared.value())});
    }
    if (++lines_in_batch >= kBatchLines) {
      BEIAN_RETURN_IF_ERROR(flush());
      lines_in_batch = 0;
      if (progress) progress(line, bytes);
    }
  }
  if (ndjson.bad()) {
    Error e = MakeError(ErrorCode::kInternal, Text{"读取输入失败", "reading the input failed"});
    if (committed_through == 0) return e;
    return StoppedPartWay(std::move(e), committed_through, report);
  }
  BEIAN_RETURN_IF_ERROR(flush());
  if (progress) progress(line, bytes);
  TrimFailures(report);
  return report;
}

}  // namespace beian
