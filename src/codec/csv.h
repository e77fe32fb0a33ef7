#pragma once
// CSV (RFC 4180) for the list endpoints' `Accept: text/csv` answers. Pure functions, thread-safe.
//
// Records end with CRLF; a field containing a comma, a double quote, CR or LF is quoted, with its
// quotes doubled. Formula-injection guard: a cell whose first character is = + - or @ gets a
// leading single quote (') so that a spreadsheet shows it as text instead of evaluating it; the
// guard changes what the cell holds, so a consumer reading the CSV as data sees that quote.
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "domain/result.h"

namespace beian {

// `cell` guarded against formula injection (see above), then quoted when needed.
std::string CsvCell(std::string_view cell);
// The record of `cells`, joined with commas and ended with CRLF.
std::string CsvRecord(std::span<const std::string> cells);
std::string CsvRecord(std::initializer_list<std::string_view> cells);

// The CSV of a list page: a header row of `columns`, then one record per element of the JSON
// array `items_json` (each a JSON object). A column is a path: "a" names a member of the object,
// "a.b" member b of object a, "a[].b" member b of each element of array a (the cells of the
// elements joined with spaces). A cell is: a string as is; a number or boolean in its JSON form;
// null or a missing member empty; an array whose elements are all strings, those joined with
// spaces; any other array or object its compact JSON text. kInternal (a misuse; the cause says
// which) when `items_json` is not an array of objects.
Result<std::string> CsvFromJsonItems(std::span<const std::string_view> columns,
                                     std::string_view items_json);

}  // namespace beian
