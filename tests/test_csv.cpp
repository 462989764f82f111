#include <doctest/doctest.h>

#include <filesystem>
#include <memory>

#include <fmt/format.h>
#include <string>
#include <vector>

#include "grucast/util/error.hpp"
#include "data/csv.hpp"
#include "support/files.hpp"

using grucast::CsvField;
using grucast::CsvReader;
using grucast::DataError;
using grucast::IoError;

namespace {

std::vector<std::vector<std::string>> read_all(CsvReader& reader) {
  std::vector<std::vector<std::string>> rows;
  std::vector<CsvField> fields;
  while (reader.next(fields)) {
    rows.emplace_back();
    for (const CsvField& f : fields) rows.back().emplace_back(f.text);
  }
  return rows;
}

using Rows = std::vector<std::vector<std::string>>;

}  // namespace

TEST_SUITE("csv") {
  TEST_CASE("the delimiter is detected from the header line") {
    for (const auto& [text, delimiter] : std::vector<std::pair<std::string, char>>{
             {"a,b\n1,2\n", ','}, {"a;b\n1;2\n", ';'}, {"a\tb\n1\t2\n", '\t'}, {"a\n1\n", ','}}) {
      CsvReader reader("t.csv", text);
      CHECK(reader.delimiter() == delimiter);
      CHECK(read_all(reader).front().front() == "1");
    }
  }

  TEST_CASE("a semicolon file with decimal commas in quotes still splits on semicolons") {
    const std::string text = "date;value\n2020-01-01;\"1,5\"\n";
    CsvReader reader("t.csv", text);
    CHECK(reader.delimiter() == ';');
    CHECK(read_all(reader) == Rows{{"2020-01-01", "1,5"}});
  }

  TEST_CASE("quoted fields keep delimiters and doubled quotes, and report where they start") {
    const std::string text = "name,value\n\"a, \"\"b\"\"\",2\n";
    CsvReader reader("t.csv", text);
    std::vector<CsvField> fields;
    REQUIRE(reader.next(fields));
    CHECK(fields[0].text == "a, \"b\"");
    CHECK(fields[0].column == 1);
    CHECK(fields[1].text == "2");
    CHECK(fields[1].column == 12);
    CHECK(reader.line() == 2);
  }

  TEST_CASE("CRLF, a UTF-8 BOM, blank lines and a missing final newline are handled") {
    const std::string text = "\xEF\xBB\xBF" "date,value\r\n2020-01-01,1\r\n\r\n   \r\n2020-01-02,2";
    CsvReader reader("t.csv", text);
    CHECK(reader.header() == std::vector<std::string>{"date", "value"});
    CHECK(read_all(reader) == Rows{{"2020-01-01", "1"}, {"2020-01-02", "2"}});
    CHECK(reader.line() == 5);
  }

  TEST_CASE("header names are trimmed") {
    const std::string text = " date , value \n1,2\n";
    CsvReader reader("t.csv", text);
    CHECK(reader.header() == std::vector<std::string>{"date", "value"});
  }

  TEST_CASE("a row with another field count than the header names its line") {
    const std::string text = "a,b\n1,2\n1,2,3\n";
    CsvReader reader("t.csv", text);
    std::vector<CsvField> fields;
    REQUIRE(reader.next(fields));
    CHECK_THROWS_WITH_AS(reader.next(fields),
                         "the row has 3 fields but the header has 2, t.csv:3, fix the row, or check the delimiter "
                         "(comma; set it with --delimiter)",
                         DataError);
  }

  TEST_CASE("quoting mistakes name line and column") {
    std::vector<CsvField> fields;
    const std::string unclosed = "a,b\n1,\"2\n";
    CsvReader r1("t.csv", unclosed);
    CHECK_THROWS_WITH_AS(r1.next(fields),
                         "a quoted field is not closed on its line, t.csv:2:3, close the quote; quoted fields that "
                         "span lines are not supported",
                         DataError);
    const std::string trailing = "a,b\n1,\"2\"x\n";
    CsvReader r2("t.csv", trailing);
    CHECK_THROWS_WITH_AS(r2.next(fields),
                         "text after a closing quote, t.csv:2:6, quote the whole field and double the quotes inside it",
                         DataError);
  }

  TEST_CASE("binary input is refused with its location") {
    std::vector<CsvField> fields;
    const std::string nul("a,b\n1,2\n3,\0", 11);
    CHECK_THROWS_WITH_AS(CsvReader("t.csv", nul), "binary data (a NUL byte) in the input, t.csv:3:3, pass a text CSV file",
                         DataError);
    const std::string control = "a,b\n1,\x02\n";
    CsvReader reader("t.csv", control);
    CHECK_THROWS_WITH_AS(reader.next(fields), "binary data (byte 0x02) in the input, t.csv:2:3, pass a text CSV file",
                         DataError);
    const std::string gzip = "\x1f\x8b\x08rest";
    CHECK_THROWS_WITH_AS(CsvReader("t.csv.gz", gzip),
                         "the input is gzip-compressed, t.csv.gz, decompress it first, e.g. zcat FILE | grucast ... "
                         "--data -",
                         DataError);
    const std::string utf16("\xff\xfe" "a\0,\0b\0", 8);
    CHECK_THROWS_WITH_AS(CsvReader("t.csv", utf16), "the input is UTF-16 text, t.csv, save it as UTF-8", DataError);
  }

  TEST_CASE("input past the first buffers is read and still checked, rows_hint counts the lines after the header") {
    std::string text = "a,b\n";
    const std::string row = "12345,67890\n";  // 12 bytes
    const std::size_t rows = (40u << 20) / row.size();
    text.reserve(text.size() + rows * row.size() + 8);
    for (std::size_t i = 0; i < rows; ++i) text += row;
    CsvReader reader("big.csv", text);
    std::vector<CsvField> fields;
    std::size_t count = 0;
    while (reader.next(fields)) ++count;
    CHECK(count == rows);
    CHECK(reader.rows_hint() == rows);
    text += std::string("1,\0", 3);
    CHECK_THROWS_WITH_AS(read_all(*std::make_unique<CsvReader>("big.csv", text)),
                         fmt::format("binary data (a NUL byte) in the input, big.csv:{}:3, pass a text CSV file", rows + 2)
                             .c_str(),
                         DataError);
  }

  TEST_CASE("rows_hint: the lines after the header, with or without a final newline") {
    CHECK(CsvReader("t.csv", std::string_view("a,b\n1,2\n3,4\n")).rows_hint() == 2);
    CHECK(CsvReader("t.csv", std::string_view("a,b\n1,2\n3,4")).rows_hint() == 2);
    CHECK(CsvReader("t.csv", std::string_view("\n\nsep=;\na;b\n1;2")).rows_hint() == 1);
  }

  TEST_CASE("a line longer than 16 MiB is refused at its line, a long line below that is read") {
    const std::string long_cell((std::size_t{1} << 23), '7');  // 8 MiB: the buffer grows for it
    const std::string text = "a,b\n1," + long_cell + "\n";
    CsvReader reader("t.csv", text);
    std::vector<CsvField> fields;
    REQUIRE(reader.next(fields));
    CHECK(fields[1].text.size() == long_cell.size());
    const std::string too_long = "a,b\n1,2\n" + std::string((std::size_t{1} << 24) + 10, '7');
    CHECK_THROWS_WITH_AS(read_all(*std::make_unique<CsvReader>("t.csv", too_long)),
                         "a line is longer than 16 MiB, t.csv:3, check that this is a CSV file with LF or CRLF line "
                         "endings",
                         DataError);
  }

  TEST_CASE("old Mac line endings are named") {
    const std::string text = "a,b\r1,2\r";
    CHECK_THROWS_WITH_AS(CsvReader("t.csv", text),
                         "a carriage return inside a line, t.csv:1:4, convert CR line endings to LF (e.g. tr '\\r' "
                         "'\\n')",
                         DataError);
  }

  TEST_CASE("an empty file, or one of blank lines, is refused") {
    for (const std::string text : {"", "\n\n  \n"}) {
      CHECK_THROWS_WITH_AS(CsvReader("t.csv", text),
                           "the file is empty, t.csv, pass a CSV file with a header row and data rows", DataError);
    }
  }

  TEST_CASE("column_index lists the columns there are and suggests a case fix") {
    const std::string text = "Date,CO2,CO2x,dup,dup\n";
    CsvReader reader("t.csv", text);
    CHECK(reader.column_index("CO2", "--target") == 1);
    CHECK_THROWS_WITH_AS(reader.column_index("co2", "--target"),
                         "no column 'co2' (--target) in the header, t.csv:1, the columns are: Date, CO2, CO2x, dup, "
                         "dup (did you mean 'CO2'?)",
                         DataError);
    CHECK_THROWS_WITH_AS(reader.column_index("dup", "--features"),
                         "column 'dup' (--features) appears 2 times in the header, t.csv:1, rename the duplicates",
                         DataError);
  }

  TEST_CASE("files that cannot be read are IoErrors") {
    grucast::test::TempDir dir;
    CHECK_THROWS_WITH_AS(CsvReader((dir / "nope.csv").string()),
                         doctest::Contains("cannot open the data file (No such file or directory)"), IoError);
    CHECK_THROWS_WITH_AS(CsvReader(dir.path().string()),
                         (std::string("the data path is a directory, ") + dir.path().string() +
                          ", pass a CSV file to --data").c_str(),
                         IoError);
  }

  TEST_CASE("the real datasets read completely, including one without a final newline") {
    CsvReader reader(std::string(GRUCAST_DATASETS) + "/sp500-2000.csv");
    CHECK(reader.header().size() == 7);
    const Rows rows = read_all(reader);
    CHECK(rows.size() == 5105);
    CHECK(rows.back().front() == "2020-04-17");
  }

  TEST_CASE("Excel's sep= line names the delimiter, and spaces may precede an opening quote") {
    const std::string text = "sep=;\ndate;note\n2020-01-01; \"a;b\"\n";
    CsvReader reader("t.csv", text);
    CHECK(reader.delimiter() == ';');
    CHECK(reader.header() == std::vector<std::string>{"date", "note"});
    CHECK(read_all(reader) == Rows{{"2020-01-01", "a;b"}});
  }

  TEST_CASE("header messages name the header's own line") {
    const std::string blank_first = "\n\ndate,v\n2020-01-01,1\n";
    CHECK_THROWS_WITH_AS(CsvReader("t.csv", blank_first).column_index("x", "--target"),
                         "no column 'x' (--target) in the header, t.csv:3, the columns are: date, v", DataError);
    const std::string sep_then_blank = "sep=;\n\ndate;v\n2020-01-01;1\n";
    CsvReader reader("t.csv", sep_then_blank);
    CHECK(reader.header() == std::vector<std::string>{"date", "v"});
    CHECK_THROWS_WITH_AS(reader.column_index("x", "--target"),
                         "no column 'x' (--target) in the header, t.csv:3, the columns are: date, v", DataError);
  }

  TEST_CASE("a space delimiter is not eaten around quoted fields") {
    const std::string text = "a b c\n1 \"x y\" 3\n";
    CsvReader reader("t.csv", text, ' ');
    CHECK(read_all(reader) == Rows{{"1", "x y", "3"}});
  }

  TEST_CASE("columns in messages count characters, not bytes") {
    std::vector<CsvField> fields;
    const std::string text = "city,v\nZ\xc3\xbcrich,\"1\"x\n";  // "Zürich": 6 characters, 7 bytes
    CsvReader reader("t.csv", text);
    CHECK_THROWS_WITH_AS(reader.next(fields),
                         "text after a closing quote, t.csv:2:11, quote the whole field and double the quotes inside it",
                         DataError);
    const std::string quoted_first = "a,b\n\"\xc3\xbc\"\"\",x\n";  // "ü""",x
    CsvReader second("t.csv", quoted_first);
    REQUIRE(second.next(fields));
    CHECK(fields[0].text == "\xc3\xbc\"");
    CHECK(fields[1].column == 7);
    const std::string nul("a\n\xc3\xbc\xc3\xbc\0", 8);
    CHECK_THROWS_WITH_AS(CsvReader("t.csv", nul), "binary data (a NUL byte) in the input, t.csv:2:3, pass a text CSV file",
                         DataError);
    const std::string bom_nul("\xEF\xBB\xBF" "ab\0", 6);  // the BOM is not a character of line 1
    CHECK_THROWS_WITH_AS(CsvReader("t.csv", bom_nul),
                         "binary data (a NUL byte) in the input, t.csv:1:3, pass a text CSV file", DataError);
  }

  TEST_CASE("parse_delimiter accepts names and single characters") {
    CHECK(grucast::parse_delimiter("tab") == '\t');
    CHECK(grucast::parse_delimiter("\\t") == '\t');
    CHECK(grucast::parse_delimiter(";") == ';');
    CHECK(grucast::parse_delimiter("|") == '|');
    CHECK_THROWS_WITH_AS(grucast::parse_delimiter("ab"),
                         "invalid delimiter 'ab', --delimiter, use one character, or tab, comma or semicolon",
                         grucast::UsageError);
  }
}
