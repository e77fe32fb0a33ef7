#include "codec/csv.h"

#include <boost/json.hpp>
#include <vector>

namespace beian {
namespace json = boost::json;
namespace {

Error Misuse(std::string_view what) {
  Error e = MakeError(ErrorCode::kInternal);
  e.cause = "internal: CSV: " + std::string(what);
  return e;
}

bool StartsFormula(std::string_view s) {
  return !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
}

std::string CellOf(const json::value* v) {
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_array()) {
    const json::array& a = v->get_array();
    bool strings = true;
    for (const json::value& e : a) strings = strings && e.is_string();
    if (strings) {
      std::string out;
      for (const json::value& e : a) {
        if (!out.empty()) out += ' ';
        out += e.get_string();
      }
      return out;
    }
  }
  return json::serialize(*v);
}

// The cell of `path` ("a", "a.b", "a[].b": each element's b, joined with spaces) in `v`.
std::string CellAt(const json::value* v, std::string_view path) {
  while (!path.empty()) {
    if (v == nullptr || !v->is_object()) return "";
    const std::size_t dot = path.find('.');
    std::string_view head = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (head.ends_with("[]")) {
      head.remove_suffix(2);
      const json::value* a = v->get_object().if_contains(head);
      if (a == nullptr || !a->is_array()) return "";
      std::string out;
      for (const json::value& e : a->get_array()) {
        if (!out.empty()) out += ' ';
        out += path.empty() ? CellOf(&e) : CellAt(&e, path);
      }
      return out;
    }
    v = v->get_object().if_contains(head);
  }
  return CellOf(v);
}

}  // namespace

std::string CsvCell(std::string_view cell) {
  std::string text;
  if (StartsFormula(cell)) text += '\'';
  text += cell;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

std::string CsvRecord(std::span<const std::string> cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    out += CsvCell(cells[i]);
  }
  out += "\r\n";
  return out;
}

std::string CsvRecord(std::initializer_list<std::string_view> cells) {
  std::vector<std::string> v(cells.begin(), cells.end());
  return CsvRecord(v);
}

Result<std::string> CsvFromJsonItems(std::span<const std::string_view> columns,
                                     std::string_view items_json) {
  boost::system::error_code ec;
  json::value parsed = json::parse(items_json, ec);
  if (ec || !parsed.is_array()) {
    return Misuse("the items are not a JSON array");
  }
  std::vector<std::string> cells(columns.begin(), columns.end());
  std::string out = CsvRecord(cells);
  for (const json::value& item : parsed.get_array()) {
    if (!item.is_object()) {
      return Misuse("an item is not a JSON object");
    }
    for (std::size_t i = 0; i < columns.size(); ++i) {
      cells[i] = CellAt(&item, columns[i]);
    }
    out += CsvRecord(cells);
  }
  return out;
}

}  // namespace beian
