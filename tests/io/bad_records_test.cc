// Table test: tests/testdata/io/bad_records.txt lists bad inputs and the
// exact errors they give. The format is described at the top of that file.

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "io/io_test_util.h"
#include "xuncha/finding_io.h"

namespace xuncha {
namespace {

struct Case {
  std::string name;
  std::string options;
  std::string input;
  std::vector<std::string> errors;
  std::string counts;
  int line = 0;
};

std::string Unescape(const std::string& s, bool* newline) {
  std::string out;
  *newline = true;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    if (c == 'x' && i + 2 < s.size() + 1) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (c == 'r') {
      out += '\r';
    } else if (c == 't') {
      out += '\t';
    } else if (c == 'c' && i + 1 == s.size()) {
      *newline = false;
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<Case> LoadCases() {
  std::string text =
      testing::ReadFileOrDie(std::string(XUNCHA_SOURCE_DIR) + "/tests/testdata/io/bad_records.txt");
  std::vector<Case> cases;
  std::istringstream in(text);
  std::string line;
  enum { kNone, kInput, kErrors, kCounts } section = kNone;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.rfind("=== ", 0) == 0) {
      cases.emplace_back();
      cases.back().name = line.substr(4);
      cases.back().line = line_no;
      section = kNone;
      continue;
    }
    if (cases.empty()) continue;
    Case& c = cases.back();
    if (line.rfind("options: ", 0) == 0 && section == kNone) {
      c.options = line.substr(9);
    } else if (line == "--- input") {
      section = kInput;
    } else if (line == "--- errors") {
      section = kErrors;
    } else if (line == "--- counts") {
      section = kCounts;
    } else if (section == kInput) {
      bool newline;
      c.input += Unescape(line, &newline);
      if (newline) c.input += '\n';
    } else if (section == kErrors && !line.empty()) {
      c.errors.push_back(line);
    } else if (section == kCounts && !line.empty()) {
      c.counts = line;
    }
  }
  return cases;
}

ReadOptions OptionsFor(const std::string& spec) {
  ReadOptions o;
  std::istringstream in(spec);
  std::string kv;
  while (in >> kv) {
    std::string k = kv.substr(0, kv.find('=')), v = kv.substr(kv.find('=') + 1);
    if (k == "max_record_bytes") o.max_record_bytes = std::stoul(v);
    if (k == "encoding") o.encoding = *ParseTextEncoding(v);
    if (k == "duplicates") o.reject_duplicate_ids = v != "off";
    if (k == "require_id") o.require_id = v != "off";
    if (k == "unknown_json") o.ignore_unknown_json_fields = v == "ignore";
  }
  return o;
}

TEST(BadRecordsTest, ExactMessages) {
  std::vector<Case> cases = LoadCases();
  ASSERT_GE(cases.size(), 20u);
  for (const Case& c : cases) {
    SCOPED_TRACE("bad_records.txt:" + std::to_string(c.line) + ": " + c.name);
    ReadOptions o = OptionsFor(c.options);
    std::vector<RecordError> errors;
    o.on_error = [&](const RecordError& e) { errors.push_back(e); };
    auto reader = FindingReader::FromBytes(c.name, c.input, o);
    ASSERT_TRUE(reader.ok()) << reader.status();
    v1::Finding f;
    while ((*reader)->Next(&f)) {
    }
    EXPECT_TRUE((*reader)->status().ok()) << (*reader)->status();
    const ReadCounts& n = (*reader)->counts();
    EXPECT_EQ(std::to_string(n.read) + " " + std::to_string(n.ok) + " " +
                  std::to_string(n.rejected),
              c.counts);
    EXPECT_EQ(n.read, n.ok + n.rejected);
    ASSERT_EQ(static_cast<int64_t>(errors.size()), n.rejected);
    // Cases may leave the exact wording of protobuf's own JSON errors out.
    if (c.errors.empty()) {
      for (const RecordError& e : errors) {
        EXPECT_FALSE(e.message.empty());
        EXPECT_FALSE(e.raw.empty());
        std::cerr << "  (unchecked wording) " << e.ToString() << "\n";
      }
      continue;
    }
    ASSERT_EQ(errors.size(), c.errors.size());
    for (size_t i = 0; i < errors.size(); ++i) {
      EXPECT_EQ(errors[i].ToString(), c.errors[i]);
      EXPECT_FALSE(errors[i].raw.empty());
    }
  }
}

}  // namespace
}  // namespace xuncha
