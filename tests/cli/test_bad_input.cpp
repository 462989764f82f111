// The bad-input corpus: every case of tests/data/bad/cases.txt through the real executable (exit
// code, the whole one-line message, nothing on stdout, no output file or temporary left behind),
// every file of tests/data/bad/ named by a case, and the one case a table cannot hold.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/run.hpp"

using grucast::test::read_text;
using grucast::test::run_program;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

const std::filesystem::path kBad = std::filesystem::path(GRUCAST_TEST_DATA) / "bad";
const std::string kManifestName = "cases.txt";
const std::string kOldContent = "old content\n";
constexpr int kTimedOut = 124;  // timeout(1)'s exit status

// One line of the manifest: EXIT | ARGUMENTS | MESSAGE.
struct Case {
  std::size_t line = 0;
  std::string text;                // the line as written
  int status = 0;
  std::vector<std::string> args;   // with the $names expanded; {dir}, {out} and {old} still in them
  std::string input;               // the file after "<", given on stdin
  std::string message;             // stderr without "grucast: error: " and the newline
};

struct Manifest {
  std::vector<Case> cases;
  std::vector<std::string> problems;  // "cases.txt:LINE: what is wrong with the line"
};

std::string trimmed(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Words split at spaces; "..." keeps spaces and may be empty. Returns false on an open quote.
bool split_words(const std::string& text, std::vector<std::string>& words) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t') {
      ++i;
      continue;
    }
    std::string word;
    for (; i < text.size() && text[i] != ' ' && text[i] != '\t'; ++i) {
      if (text[i] != '"') {
        word += text[i];
        continue;
      }
      const std::size_t close = text.find('"', i + 1);
      if (close == std::string::npos) return false;
      word += text.substr(i + 1, close - i - 1);
      i = close;
    }
    words.push_back(word);
  }
  return true;
}

// A "$name = ARGUMENTS" line: the name's words, for later lines to use as $name.
struct Definitions {
  std::vector<std::pair<std::string, std::vector<std::string>>> names;

  const std::vector<std::string>* find(const std::string& name) const {
    for (const auto& [n, words] : names) {
      if (n == name) return &words;
    }
    return nullptr;
  }
};

// ARGUMENTS of a case: its words with $names expanded, and "< FILE" taken out as stdin.
std::string read_arguments(const std::string& text, const Definitions& definitions, Case& c) {
  std::vector<std::string> words;
  if (!split_words(text, words)) return "a quote is not closed";
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i] == "<") {
      if (i + 1 >= words.size()) return "'<' names no file";
      c.input = words[++i];
    } else if (words[i].size() > 1 && words[i][0] == '$') {
      const std::vector<std::string>* expansion = definitions.find(words[i].substr(1));
      if (expansion == nullptr) return "'" + words[i] + "' is not defined above";
      c.args.insert(c.args.end(), expansion->begin(), expansion->end());
    } else {
      c.args.push_back(words[i]);
    }
  }
  return c.args.empty() ? "no arguments" : "";
}

// One case line, or a problem with it.
std::string read_case(const std::string& line, const Definitions& definitions, Case& c) {
  const std::size_t first = line.find(" | ");
  const std::size_t second = first == std::string::npos ? first : line.find(" | ", first + 3);
  if (second == std::string::npos) return "not EXIT | ARGUMENTS | MESSAGE";
  const std::string status = trimmed(line.substr(0, first));
  if (status != "1" && status != "2") return "the exit code '" + status + "' is not 1 or 2";
  c.status = std::stoi(status);
  c.message = trimmed(line.substr(second + 3));
  if (c.message.empty()) return "no message";
  return read_arguments(line.substr(first + 3, second - first - 3), definitions, c);
}

Manifest read_manifest(const std::filesystem::path& path) {
  Manifest manifest;
  Definitions definitions;
  std::istringstream lines(read_text(path));
  std::string line;
  for (std::size_t number = 1; std::getline(lines, line); ++number) {
    const std::string content = trimmed(line);
    if (content.empty() || content[0] == '#') continue;
    std::string problem;
    if (content[0] == '$') {
      const std::size_t equals = content.find(" = ");
      std::vector<std::string> words;
      if (equals == std::string::npos) problem = "not $name = ARGUMENTS";
      else if (!split_words(content.substr(equals + 3), words)) problem = "a quote is not closed";
      else definitions.names.emplace_back(trimmed(content.substr(1, equals - 1)), words);
    } else {
      Case c;
      c.line = number;
      c.text = content;
      problem = read_case(content, definitions, c);
      if (problem.empty()) manifest.cases.push_back(std::move(c));
    }
    if (!problem.empty()) manifest.problems.push_back(kManifestName + ":" + std::to_string(number) + ": " + problem);
  }
  return manifest;
}

// `text` with {dir}, {out} and {old} replaced by the case's temporary directory and files in it.
std::string placed(std::string text, const std::filesystem::path& dir) {
  const std::pair<std::string, std::string> names[] = {
      {"{dir}", dir.string()}, {"{out}", (dir / "out").string()}, {"{old}", (dir / "old").string()}};
  for (const auto& [name, value] : names) {
    for (std::size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + value.size())) {
      text.replace(at, name.size(), value);
    }
  }
  return text;
}

std::set<std::string> listing(const std::filesystem::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.insert(entry.path().filename().string());
  return names;
}

bool uses_old(const Case& c) {
  for (const std::string& arg : c.args) {
    if (arg.find("{old}") != std::string::npos) return true;
  }
  return false;
}

// Runs one case from tests/data/bad/ with a fresh temporary directory for its outputs.
void check_case(const Case& c) {
  const std::string where = kManifestName + ":" + std::to_string(c.line) + ": " + c.text;
  INFO(where);
  TempDir dir;
  if (uses_old(c)) write_text(dir / "old", kOldContent);
  const std::set<std::string> before = listing(dir.path());
  std::vector<std::string> args;
  for (const std::string& arg : c.args) args.push_back(placed(arg, dir.path()));
  const std::string input = c.input.empty() ? "" : read_text(kBad / c.input);
  const auto r = run_program(GRUCAST_EXECUTABLE, args, input, kBad, {"timeout", "60"});
  CHECK_MESSAGE(r.status != kTimedOut, "grucast did not finish in 60 s");
  CHECK_MESSAGE(r.status < 128, "grucast was killed by signal ", r.status - 128);
  CHECK(r.status == c.status);
  CHECK(r.err == "grucast: error: " + placed(c.message, dir.path()) + "\n");
  CHECK(r.out.empty());
  CHECK(listing(dir.path()) == before);
  if (uses_old(c)) CHECK(read_text(dir / "old") == kOldContent);
}

// The files of tests/data/bad/ that no case names as an argument (or as --option=FILE, or on stdin).
std::vector<std::string> unnamed_files(const Manifest& manifest) {
  std::set<std::string> named;
  for (const Case& c : manifest.cases) {
    named.insert(c.input);
    for (const std::string& arg : c.args) {
      named.insert(arg);
      if (const std::size_t equals = arg.find('='); equals != std::string::npos) named.insert(arg.substr(equals + 1));
    }
  }
  std::vector<std::string> unnamed;
  for (const std::string& file : listing(kBad)) {
    if (file != kManifestName && named.count(file) == 0) unnamed.push_back(file);
  }
  return unnamed;
}

}  // namespace

TEST_SUITE("cli bad input") {
  TEST_CASE("every case of tests/data/bad/cases.txt: its exit code, its whole message, no output left") {
    const Manifest manifest = read_manifest(kBad / kManifestName);
    for (const std::string& problem : manifest.problems) FAIL_CHECK(problem);
    CHECK(manifest.cases.size() >= 40);
    for (const Case& c : manifest.cases) check_case(c);
  }

  TEST_CASE("every file in tests/data/bad/ is named by a case of cases.txt") {
    for (const std::string& file : unnamed_files(read_manifest(kBad / kManifestName))) {
      FAIL_CHECK("tests/data/bad/" << file << " has no line in cases.txt: add one (EXIT | ARGUMENTS | MESSAGE)");
    }
  }

  TEST_CASE("an unreadable data file is refused") {
    // The file is mode 000. Root reads anything, so as root the command runs as 'nobody' (setpriv),
    // from a copy of the executable in a directory 'nobody' may enter.
    TempDir dir;
    std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
    std::filesystem::copy_file(GRUCAST_EXECUTABLE, dir / "grucast");
    std::filesystem::copy_file(kBad / "../daily.csv", dir / "secret.csv");
    std::filesystem::permissions(dir / "secret.csv", std::filesystem::perms::none);
    const std::vector<std::string> args = {"forecast", "--baseline", "naive", "--data", "secret.csv", "--target",
                                           "value", "--horizon", "1"};
    const std::vector<std::string> as_nobody = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    const auto result = run_program((dir / "grucast").string(), args, "", dir.path(),
                                    ::geteuid() == 0 ? as_nobody : std::vector<std::string>{});
    CHECK(result.status == 1);
    CHECK(result.err ==
          "grucast: error: cannot open the data file (Permission denied), secret.csv, check the file's permissions\n");
  }
}
