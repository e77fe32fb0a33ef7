#include "codec/csv.h"

#include <gtest/gtest.h>

#include <array>

namespace beian {
namespace {

TEST(CsvCell, PlainTextIsUnchanged) {
  EXPECT_EQ(CsvCell("abc 123"), "abc 123");
  EXPECT_EQ(CsvCell(""), "");
  EXPECT_EQ(CsvCell("中文"), "中文");
}

TEST(CsvCell, QuotesCommaQuoteCrLf) {
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("a\nb"), "\"a\nb\"");
  EXPECT_EQ(CsvCell("a\rb"), "\"a\rb\"");
}

TEST(CsvCell, GuardsFormulaStarts) {
  EXPECT_EQ(CsvCell("=1+2"), "'=1+2");
  EXPECT_EQ(CsvCell("+86"), "'+86");
  EXPECT_EQ(CsvCell("-1"), "'-1");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("a=b"), "a=b");  // only the first character counts
  // Guarded and quoted: the quote goes inside the quoted field.
  EXPECT_EQ(CsvCell("=HYPERLINK(\"x\",1)"), "\"'=HYPERLINK(\"\"x\"\",1)\"");
}

TEST(CsvRecord, JoinsWithCommasAndEndsWithCrLf) {
  EXPECT_EQ(CsvRecord({"a", "b,c", ""}), "a,\"b,c\",\r\n");
}

TEST(CsvFromJsonItems, HeaderThenOneRecordPerItem) {
  const std::array<std::string_view, 5> cols = {"id", "n", "ok", "tags", "obj"};
  const Result<std::string> csv =
      CsvFromJsonItems(cols, R"([{"id":"p-1","n":3,"ok":true,"tags":["x","y"],"obj":{"a":[1]}},)"
                             R"({"id":"=cmd","n":null,"tags":[1,2],"extra":"ignored"}])");
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(*csv,
            "id,n,ok,tags,obj\r\n"
            "p-1,3,true,x y,\"{\"\"a\"\":[1]}\"\r\n"
            "'=cmd,,,\"[1,2]\",\r\n");
}

TEST(CsvFromJsonItems, PathsReachIntoObjectsAndArrays) {
  const std::array<std::string_view, 4> cols = {"e.ok", "e.reasons[].code", "e.q.n", "e.none.x"};
  const Result<std::string> csv = CsvFromJsonItems(
      cols, R"([{"e":{"ok":false,"reasons":[{"code":"A"},{"code":"B,C"}],"q":{"n":2}}},{}])");
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(*csv,
            "e.ok,e.reasons[].code,e.q.n,e.none.x\r\n"
            "false,\"A B,C\",2,\r\n"
            ",,,\r\n");
}

TEST(CsvFromJsonItems, EmptyListIsTheHeaderOnly) {
  const std::array<std::string_view, 2> cols = {"id", "state"};
  const Result<std::string> csv = CsvFromJsonItems(cols, "[]");
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(*csv, "id,state\r\n");
}

TEST(CsvFromJsonItems, RefusesWhatIsNotAnArrayOfObjects) {
  const std::array<std::string_view, 1> cols = {"id"};
  EXPECT_FALSE(CsvFromJsonItems(cols, "{}").ok());
  EXPECT_FALSE(CsvFromJsonItems(cols, "[1]").ok());
  EXPECT_FALSE(CsvFromJsonItems(cols, "[").ok());
}

}  // namespace
}  // namespace beian
