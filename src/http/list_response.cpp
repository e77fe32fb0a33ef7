// The answer of a list endpoint: JSON, or CSV for `Accept: text/csv` (docs/openapi.yaml, "CSV").
#include "codec/csv.h"
#include "domain/text.h"
#include "http/handlers.h"

namespace beian::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char ch) { return ch >= 'A' && ch <= 'Z' ? char(ch - 'A' + 'a') : ch; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// True when the media range's parameters say q=0 (the client refuses it).
bool RefusedByQ(std::string_view params) {
  while (!params.empty()) {
    const std::size_t semi = params.find(';');
    std::string_view p = Trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      std::string_view v = p.substr(2);
      return !v.empty() && v.find_first_not_of("0.") == std::string_view::npos;
    }
  }
  return false;
}

}  // namespace

bool WantsCsv(std::string_view accept) { return AcceptsType(accept, "text/csv"); }

bool AcceptsType(std::string_view accept, std::string_view media_type) {
  while (!accept.empty()) {
    const std::size_t comma = accept.find(',');
    std::string_view range = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    const std::size_t semi = range.find(';');
    const std::string_view type = Trim(range.substr(0, semi));
    if (EqualsNoCase(type, media_type) &&
        !RefusedByQ(semi == std::string_view::npos ? std::string_view() : range.substr(semi + 1))) {
      return true;
    }
  }
  return false;
}

Result<ApiResponse> CsvListResponse(std::string_view items_json,
                                    std::span<const std::string_view> columns,
                                    std::string_view name, std::string_view next_header,
                                    const std::string& next_value) {
  BEIAN_ASSIGN_OR_RETURN(std::string csv, CsvFromJsonItems(columns, items_json));
  ApiResponse resp;
  resp.status = 200;
  resp.content_type = "text/csv; charset=utf-8";
  resp.body = std::move(csv);
  resp.headers.emplace_back("Content-Disposition",
                            "attachment; filename=\"" + std::string(name) + ".csv\"");
  resp.headers.emplace_back("Vary", "Accept");
  if (!next_value.empty()) resp.headers.emplace_back(next_header, next_value);
  return resp;
}

Result<ApiResponse> ListResponse(const Ctx& c, std::string_view items_json,
                                 const std::string& next_page_token,
                                 std::span<const std::string_view> csv_columns,
                                 std::string_view name) {
  if (WantsCsv(c.req.accept)) {
    return CsvListResponse(items_json, csv_columns, name, "X-Next-Page-Token", next_page_token);
  }
  ApiResponse resp = JsonResponse(200, ListJson(items_json, next_page_token));
  resp.headers.emplace_back("Vary", "Accept");
  return resp;
}

}  // namespace beian::http
