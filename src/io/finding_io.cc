// FindingReader and FindingWriter: findings in JSON Lines, binary and CSV.
//
// Design note on CSV. A row is framed on raw bytes (io/csv.h says why that is
// safe for GB18030), then the whole row is decoded to UTF-8 (so a bad byte
// is reported at its offset in the record), then split into fields, then
// each non-empty cell is parsed by its column's field path. Every Finding
// field has a column, so CSV round-trips everything: repeated messages
// (counterparties, evidence) are parallel "；"-separated lists, attrs either
// get a column of their own (WriteOptions::attr_columns) or go into one
// "attrs" column as a JSON object.

#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <unordered_map>

#include "base/utf8.h"
#include "io/csv.h"
#include "io/csv_internal.h"
#include "io/message_codec.h"
#include "io/record_stream.h"
#include "xuncha/finding_io.h"

namespace xuncha {

using io_internal::ByteSource;
using io_internal::RecordStream;

namespace {

constexpr std::string_view kListSeparator = "；";
constexpr size_t kDetectBytes = 1 << 16;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits on "；" ";" "、", trimming items; keeps empty items so parallel
// lists stay aligned. An all-blank cell is the empty list.
std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> items;
  if (Trim(s).empty()) return items;
  std::string current;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == ';') {
      items.emplace_back(Trim(current));
      current.clear();
      ++i;
    } else if (s.substr(i, 3) == "；" || s.substr(i, 3) == "、") {
      items.emplace_back(Trim(current));
      current.clear();
      i += 3;
    } else {
      current += s[i++];
    }
  }
  items.emplace_back(Trim(current));
  return items;
}

bool HasSeparator(std::string_view s) {
  return s.find(';') != std::string_view::npos || s.find("；") != std::string_view::npos ||
         s.find("、") != std::string_view::npos;
}

StatusOr<RecordFormat> ResolveFormat(RecordFormat format, std::string_view path) {
  if (format != RecordFormat::kAuto) return format;
  return FormatFromPath(path);
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Encoding of a CSV input from its first bytes.
TextEncoding DetectEncoding(std::string_view head, bool at_eof) {
  if (io_internal::BomLength(head) > 0) return TextEncoding::kUtf8;
  size_t bad = utf8::FindInvalid(head);
  if (bad == std::string_view::npos) return TextEncoding::kUtf8;
  // A character cut by the end of the sample is not evidence.
  if (!at_eof && head.size() - bad < 4) {
    bool only_cut = true;
    for (size_t i = bad; i < head.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(head[i]);
      if (i == bad ? c < 0xC2 || c > 0xF4 : (c & 0xC0) != 0x80) only_cut = false;
    }
    if (only_cut) return TextEncoding::kUtf8;
  }
  return TextEncoding::kGb18030;
}

}  // namespace

// --- FindingReader ----------------------------------------------------------------

class FindingReader::Impl {
 public:
  struct Column {
    std::string title;  // as in the header, trimmed
    std::string path;   // field path; "attrs.<title>" for unknown titles
  };

  Impl(std::string name, std::unique_ptr<ByteSource> src, const ReadOptions& options,
       RecordFormat format)
      : stream_(std::move(name), std::move(src), options, format),
        columns_(options.columns != nullptr ? options.columns : &CsvColumns::Builtin()),
        seen_(options.seen_ids != nullptr ? options.seen_ids : &own_ids_),
        file_index_(seen_->AddFile(stream_.name())) {}

  Status StartCsv() {
    ByteSource& src = stream_.source();
    std::string_view head = src.PeekUpTo(kDetectBytes);
    if (head.substr(0, 2) == "\xFF\xFE" || head.substr(0, 2) == "\xFE\xFF") {
      return InvalidArgumentError(stream_.name() +
                                  ": UTF-16 text is not CSV; save it as \"CSV UTF-8\" or "
                                  "\"CSV (逗号分隔)\"");
    }
    encoding_ = stream_.options().encoding;
    if (encoding_ == TextEncoding::kAuto) {
      encoding_ = DetectEncoding(head, head.size() < kDetectBytes);
    }
    if (encoding_ == TextEncoding::kUtf8) {
      // Guessed from an all-ASCII start: a later non-UTF-8 row may still
      // show the file to be GB18030 (see Decode).
      may_switch_to_gb_ = stream_.options().encoding == TextEncoding::kAuto &&
                          io_internal::BomLength(head) == 0 && IsAscii(head);
      src.Consume(io_internal::BomLength(head));
    } else {
      from_gb_ = std::make_unique<io_internal::Converter>("GB18030", "UTF-8");
      if (!from_gb_->ok()) return InternalError("iconv cannot convert GB18030 to UTF-8");
    }
    stream_.set_header_mode(true);
    bool have_header = stream_.Next();
    stream_.set_header_mode(false);
    auto where = [&]() {
      return stream_.name() + ":line " + std::to_string(stream_.line()) + ": header: ";
    };
    if (stream_.counts().rejected > 0) {
      return InvalidArgumentError(where() + "longer than the record limit of " +
                                  std::to_string(stream_.options().max_record_bytes) + " bytes");
    }
    if (!have_header) return stream_.status();  // empty file: no rows
    std::string utf8, error;
    std::vector<std::string> titles;
    if (!Decode(stream_.raw(), &utf8, &error) ||
        !io_internal::SplitCsvRecord(utf8, &titles, &error)) {
      return InvalidArgumentError(where() + error);
    }
    std::unordered_map<std::string, std::string> seen;  // single-valued path -> title
    for (std::string& t : titles) {
      Column c;
      c.title = std::string(Trim(t));
      if (c.title.empty()) {
        // Excel leaves untitled columns behind; their cells must be empty.
        c.title = "column " + std::to_string(header_.size() + 1);
        header_.push_back(std::move(c));
        continue;
      }
      c.path = columns_->Lookup(c.title);
      if (c.path.empty()) c.path = "attrs." + c.title;
      auto [it, inserted] = seen.emplace(c.path, c.title);
      if (!inserted) {
        return InvalidArgumentError(where() + "columns '" + it->second + "' and '" + c.title +
                                    "' both map to field " + c.path);
      }
      if (c.path == "id") id_title_ = c.title;
      header_.push_back(std::move(c));
    }
    stream_.set_csv_header(stream_.raw());
    stream_.RestartNumbering();
    return Status::OK();
  }

  bool Decode(std::string_view raw, std::string* out, std::string* error) {
    size_t bad;
    if (encoding_ == TextEncoding::kGb18030) {
      if (!from_gb_->Convert(raw, out, &bad)) {
        *error = "invalid GB18030 at byte " + std::to_string(bad) + " of the record";
        return false;
      }
      return true;
    }
    bad = utf8::FindInvalid(raw);
    if (bad != std::string_view::npos) {
      // Everything before was ASCII, which reads the same in both
      // encodings, so switching now changes nothing already read.
      if (may_switch_to_gb_) {
        may_switch_to_gb_ = false;
        from_gb_ = std::make_unique<io_internal::Converter>("GB18030", "UTF-8");
        size_t gb_bad;
        if (from_gb_->ok() && from_gb_->Convert(raw, out, &gb_bad)) {
          encoding_ = TextEncoding::kGb18030;
          return true;
        }
        from_gb_.reset();
      }
      *error = "invalid UTF-8 at byte " + std::to_string(bad) + " of the record";
      return false;
    }
    if (may_switch_to_gb_ && !IsAscii(raw)) may_switch_to_gb_ = false;
    out->assign(raw);
    return true;
  }

  // Sets *empty_row (and returns false) for a row of empty cells.
  bool ParseRow(v1::Finding* f, std::string* field, std::string* error, bool* empty_row) {
    f->Clear();
    if (!Decode(stream_.raw(), &row_utf8_, error)) return false;
    if (!io_internal::SplitCsvRecord(row_utf8_, &cells_, error)) return false;
    bool all_empty = true;
    for (const std::string& c : cells_) all_empty = all_empty && Trim(c).empty();
    if (all_empty) {
      *empty_row = true;
      return false;
    }
    if (cells_.size() != header_.size()) {
      *error = "wrong column count: expected " + std::to_string(header_.size()) + ", got " +
               std::to_string(cells_.size());
      return false;
    }
    std::vector<std::string> cp_names, cp_ids, cp_kinds, ev[4];
    std::string amount_title;
    for (size_t i = 0; i < cells_.size(); ++i) {
      const Column& c = header_[i];
      const std::string& raw_cell = cells_[i];
      std::string_view cell = c.path == "text" ? std::string_view(raw_cell) : Trim(raw_cell);
      if (Trim(cell).empty()) continue;
      *field = c.title;
      const std::string& p = c.path;
      if (p.empty()) {
        *error = "value in a column without a title";
        return false;
      } else if (p == "id") {
        f->set_id(std::string(cell));
      } else if (p == "round") {
        f->set_round(std::string(cell));
      } else if (p == "text") {
        f->set_text(std::string(cell));
      } else if (p == "inspector_team") {
        f->set_inspector_team(std::string(cell));
      } else if (p == "occurred_on" || p == "found_on") {
        auto d = ParseDate(cell);
        if (!d.ok()) return Fail(d.status(), error);
        p == "found_on" ? f->set_found_on(*d) : f->set_occurred_on(*d);
      } else if (p == "source") {
        auto k = ParseSourceKind(cell);
        if (!k.ok()) return Fail(k.status(), error);
        f->set_source(*k);
      } else if (p == "amount" || p == "amount.wan") {
        auto fen = p == "amount" ? ParseYuanToFen(cell) : ParseWanYuanToFen(cell);
        if (!fen.ok()) return Fail(fen.status(), error);
        if (f->has_amount() && f->amount().fen() != *fen) {
          *error = "amount differs from column " + amount_title;
          return false;
        }
        f->mutable_amount()->set_fen(*fen);
        amount_title = c.title;
      } else if (p == "tags") {
        for (std::string& t : SplitList(cell)) {
          if (!t.empty()) f->add_tags(std::move(t));
        }
      } else if (p == "counterparties") {
        cp_names = SplitList(cell);
      } else if (p == "counterparties.id") {
        cp_ids = SplitList(cell);
      } else if (p == "counterparties.kind") {
        cp_kinds = SplitList(cell);
      } else if (p.rfind("evidence.", 0) == 0) {
        static constexpr std::string_view kEv[] = {"evidence.id", "evidence.kind",
                                                   "evidence.description", "evidence.uri"};
        for (int k = 0; k < 4; ++k) {
          if (p == kEv[k]) ev[k] = SplitList(cell);
        }
      } else if (p == "unit.id") {
        f->mutable_unit()->set_id(std::string(cell));
      } else if (p == "unit.name") {
        f->mutable_unit()->set_name(std::string(cell));
      } else if (p == "unit.parent_id") {
        f->mutable_unit()->set_parent_id(std::string(cell));
      } else if (p == "unit.kind") {
        f->mutable_unit()->set_kind(std::string(cell));
      } else if (p == "unit.business_line") {
        f->mutable_unit()->set_business_line(std::string(cell));
      } else if (p == "unit.headcount") {
        std::string folded = utf8::FoldWidth(cell);
        int32_t n = 0;
        auto [ptr, ec] = std::from_chars(folded.data(), folded.data() + folded.size(), n);
        if (ec != std::errc() || ptr != folded.data() + folded.size() || n < 0) {
          *error = "not a head count: \"" + std::string(cell) + "\"";
          return false;
        }
        f->mutable_unit()->set_headcount(n);
      } else if (p == "attrs") {
        v1::Finding holder;
        std::string json = "{\"attrs\":" + std::string(cell) + "}";
        auto s = google::protobuf::util::JsonStringToMessage(json, &holder);
        if (!s.ok()) {
          *error = "not a JSON object of strings: \"" + std::string(cell) + "\"";
          return false;
        }
        for (const auto& [k, v] : holder.attrs()) (*f->mutable_attrs())[k] = v;
      } else if (p.rfind("attrs.", 0) == 0) {
        (*f->mutable_attrs())[p.substr(6)] = std::string(cell);
      }
    }
    field->clear();
    size_t n_cp = std::max({cp_names.size(), cp_ids.size(), cp_kinds.size()});
    for (size_t i = 0; i < n_cp; ++i) {
      std::string_view name = i < cp_names.size() ? std::string_view(cp_names[i]) : std::string_view();
      std::string_view id = i < cp_ids.size() ? std::string_view(cp_ids[i]) : std::string_view();
      std::string_view kind = i < cp_kinds.size() ? std::string_view(cp_kinds[i]) : std::string_view();
      if (name.empty() && id.empty() && kind.empty()) continue;
      v1::Counterparty* cp = f->add_counterparties();
      cp->set_name(std::string(name));
      cp->set_id(std::string(id));
      if (!kind.empty()) {
        auto k = ParseCounterpartyKind(kind);
        if (!k.ok()) {
          *field = TitleOf("counterparties.kind");
          return Fail(k.status(), error);
        }
        cp->set_kind(*k);
      }
    }
    size_t n_ev = std::max({ev[0].size(), ev[1].size(), ev[2].size(), ev[3].size()});
    for (size_t i = 0; i < n_ev; ++i) {
      std::string_view part[4];
      bool any = false;
      for (int k = 0; k < 4; ++k) {
        part[k] = i < ev[k].size() ? std::string_view(ev[k][i]) : std::string_view();
        any = any || !part[k].empty();
      }
      if (!any) continue;
      v1::EvidenceRef* e = f->add_evidence();
      e->set_id(std::string(part[0]));
      e->set_kind(std::string(part[1]));
      e->set_description(std::string(part[2]));
      e->set_uri(std::string(part[3]));
    }
    return true;
  }

  std::string TitleOf(std::string_view path) const {
    for (const Column& c : header_) {
      if (c.path == path) return c.title;
    }
    return std::string(path);
  }

  static bool Fail(const Status& s, std::string* error) {
    *error = s.message();
    return false;
  }

  // Checks that apply to findings from every format. Empty = good.
  std::string CheckFinding(const v1::Finding& f, std::string* field) {
    const ReadOptions& o = stream_.options();
    if (o.require_id && f.id().empty()) {
      *field = id_title_;
      return "missing id";
    }
    if (o.reject_duplicate_ids && !f.id().empty()) {
      std::string first;
      if (!seen_->Insert(f.id(), file_index_, stream_.record(), &first)) {
        *field = id_title_;
        return "duplicate id \"" + f.id() + "\" (first in " + first + ")";
      }
    }
    return "";
  }

  bool Next(v1::Finding* f) {
    while (stream_.Next()) {
      std::string field, error;
      bool ok;
      switch (stream_.format()) {
        case RecordFormat::kCsv: {
          bool empty_row = false;
          ok = ParseRow(f, &field, &error, &empty_row);
          if (empty_row) {
            stream_.Unread();
            continue;
          }
          break;
        }
        case RecordFormat::kBinary: {
          std::string_view raw = stream_.raw();
          size_t i = 0;
          while (i < raw.size() && (static_cast<uint8_t>(raw[i]) & 0x80) != 0) ++i;
          ok = io_internal::ParseBinaryRecord(raw.substr(i + 1), f, &field, &error);
          break;
        }
        default:
          ok = io_internal::ParseJsonRecord(stream_.text(),
                                            stream_.options().ignore_unknown_json_fields, f,
                                            &field, &error);
          break;
      }
      if (ok) error = CheckFinding(*f, &field);
      if (!error.empty()) {
        stream_.Reject(std::move(field), std::move(error));
        continue;
      }
      stream_.Accept();
      return true;
    }
    return false;
  }

  RecordStream stream_;
  const CsvColumns* columns_;
  SeenIds own_ids_;  // before seen_, which may point at it
  SeenIds* seen_;
  size_t file_index_;
  TextEncoding encoding_ = TextEncoding::kUtf8;
  bool may_switch_to_gb_ = false;
  std::unique_ptr<io_internal::Converter> from_gb_;
  std::vector<Column> header_;
  std::string id_title_ = "id";
  std::string row_utf8_;
  std::vector<std::string> cells_;
};

FindingReader::FindingReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FindingReader::~FindingReader() = default;

namespace {

StatusOr<std::unique_ptr<FindingReader::Impl>> MakeReader(std::string name,
                                                          std::unique_ptr<ByteSource> src,
                                                          const ReadOptions& options) {
  XUNCHA_ASSIGN_OR_RETURN(RecordFormat format, ResolveFormat(options.format, name));
  auto impl = std::make_unique<FindingReader::Impl>(std::move(name), std::move(src), options,
                                                    format);
  if (format == RecordFormat::kCsv) XUNCHA_RETURN_IF_ERROR(impl->StartCsv());
  return impl;
}

}  // namespace

StatusOr<std::unique_ptr<FindingReader>> FindingReader::Open(std::string_view path,
                                                             const ReadOptions& options) {
  XUNCHA_RETURN_IF_ERROR(ResolveFormat(options.format, path).status());
  XUNCHA_ASSIGN_OR_RETURN(auto src, ByteSource::Open(std::string(path)));
  XUNCHA_ASSIGN_OR_RETURN(auto impl, MakeReader(std::string(path), std::move(src), options));
  return std::unique_ptr<FindingReader>(new FindingReader(std::move(impl)));
}

StatusOr<std::unique_ptr<FindingReader>> FindingReader::FromBytes(std::string_view name,
                                                                  std::string data,
                                                                  const ReadOptions& options) {
  XUNCHA_ASSIGN_OR_RETURN(
      auto impl, MakeReader(std::string(name), ByteSource::FromString(std::move(data)), options));
  return std::unique_ptr<FindingReader>(new FindingReader(std::move(impl)));
}

bool FindingReader::Next(v1::Finding* finding) { return impl_->Next(finding); }
int64_t FindingReader::record() const { return impl_->stream_.record(); }
int64_t FindingReader::line() const {
  return impl_->stream_.format() == RecordFormat::kBinary ? 0 : impl_->stream_.line();
}
const std::string& FindingReader::raw() const { return impl_->stream_.raw(); }
const std::string& FindingReader::name() const { return impl_->stream_.name(); }

const Status& FindingReader::status() const { return impl_->stream_.status(); }
const ReadCounts& FindingReader::counts() const { return impl_->stream_.counts(); }
int64_t FindingReader::bytes_read() const { return impl_->stream_.source().offset(); }
int64_t FindingReader::input_size() const { return impl_->stream_.source().size(); }
RecordFormat FindingReader::format() const { return impl_->stream_.format(); }
TextEncoding FindingReader::encoding() const { return impl_->encoding_; }

size_t SeenIds::AddFile(std::string name) {
  files_.push_back(std::move(name));
  return files_.size() - 1;
}

bool SeenIds::Insert(const std::string& id, size_t file, int64_t record, std::string* first) {
  auto [it, inserted] = ids_.emplace(id, std::make_pair(file, record));
  if (inserted) return true;
  const auto& [first_file, first_record] = it->second;
  *first = (first_file == file ? "" : files_[first_file] + " ") + "record " +
           std::to_string(first_record);
  return false;
}

// --- FindingWriter ----------------------------------------------------------------

namespace {

// Columns of the CSV writer, in order; attr columns and "attrs" follow.
constexpr std::string_view kCsvColumns[] = {
    "id",
    "round",
    "unit.id",
    "unit.name",
    "unit.parent_id",
    "unit.kind",
    "unit.business_line",
    "unit.headcount",
    "text",
    "amount",
    "occurred_on",
    "found_on",
    "source",
    "inspector_team",
    "counterparties",
    "counterparties.id",
    "counterparties.kind",
    "evidence.id",
    "evidence.kind",
    "evidence.description",
    "evidence.uri",
    "tags",
};

}  // namespace

class FindingWriter::Impl {
 public:
  Impl(std::unique_ptr<AtomicFile> file, RecordFormat format, const WriteOptions& options)
      : file_(std::move(file)), format_(format), options_(options) {}

  Status StartCsv() {
    if (options_.encoding == TextEncoding::kGb18030) {
      to_gb_ = std::make_unique<io_internal::Converter>("UTF-8", "GB18030");
      if (!to_gb_->ok()) return InternalError("iconv cannot convert UTF-8 to GB18030");
    }
    std::string row;
    if (options_.bom && options_.encoding != TextEncoding::kGb18030) row = "\xEF\xBB\xBF";
    bool first = true;
    auto add = [&](std::string_view title) {
      if (!first) row += ',';
      first = false;
      io_internal::AppendCsvField(title, &row);
    };
    bool chinese = options_.header == CsvHeader::kChinese;
    for (std::string_view p : kCsvColumns) add(chinese ? io_internal::ChineseTitle(p) : p);
    for (const std::string& a : options_.attr_columns) {
      add(chinese ? a : "attrs." + a);
    }
    add(chinese ? io_internal::ChineseTitle("attrs") : "attrs");
    row += "\r\n";
    return Emit(row);
  }

  Status Emit(const std::string& utf8_row) {
    if (to_gb_ == nullptr) return file_->Append(utf8_row);
    size_t bad;
    if (!to_gb_->Convert(utf8_row, &encoded_, &bad)) {
      return InvalidArgumentError("cannot encode as GB18030 (invalid UTF-8?) at byte " +
                                  std::to_string(bad) + " of the row");
    }
    return file_->Append(encoded_);
  }

  static std::string Join(const std::vector<std::string_view>& items) {
    bool any = false;
    for (std::string_view s : items) any = any || !s.empty();
    if (!any) return "";
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += kListSeparator;
      out += items[i];
    }
    return out;
  }

  Status WriteCsv(const v1::Finding& f) {
    bool chinese = options_.header == CsvHeader::kChinese;
    std::vector<std::string> cells;
    cells.reserve(std::size(kCsvColumns) + options_.attr_columns.size() + 1);
    auto list_item = [](std::string_view what, std::string_view s) -> Status {
      if (HasSeparator(s)) {
        return InvalidArgumentError(std::string(what) + " \"" + std::string(s) +
                                    "\" contains a list separator (；;、); CSV cannot hold it");
      }
      return Status::OK();
    };
    std::vector<std::string_view> names, ids, kinds, ev[4], tags;
    for (const v1::Counterparty& c : f.counterparties()) {
      XUNCHA_RETURN_IF_ERROR(list_item("counterparty name", c.name()));
      XUNCHA_RETURN_IF_ERROR(list_item("counterparty id", c.id()));
      names.push_back(c.name());
      ids.push_back(c.id());
      kinds.push_back(chinese ? CounterpartyKindChinese(c.kind()) : CounterpartyKindId(c.kind()));
    }
    for (const v1::EvidenceRef& e : f.evidence()) {
      const std::string* parts[4] = {&e.id(), &e.kind(), &e.description(), &e.uri()};
      for (int k = 0; k < 4; ++k) {
        XUNCHA_RETURN_IF_ERROR(list_item("evidence field", *parts[k]));
        ev[k].push_back(*parts[k]);
      }
    }
    for (const std::string& t : f.tags()) {
      XUNCHA_RETURN_IF_ERROR(list_item("tag", t));
      if (t.empty()) return InvalidArgumentError("empty tag; CSV cannot hold it");
      tags.push_back(t);
    }
    const v1::Unit& u = f.unit();
    cells.push_back(f.id());
    cells.push_back(f.round());
    cells.push_back(u.id());
    cells.push_back(u.name());
    cells.push_back(u.parent_id());
    cells.push_back(u.kind());
    cells.push_back(u.business_line());
    cells.push_back(u.headcount() != 0 ? std::to_string(u.headcount()) : "");
    cells.push_back(f.text());
    cells.push_back(f.has_amount() ? FormatFen(f.amount().fen()) : "");
    cells.push_back(f.occurred_on());
    cells.push_back(f.found_on());
    cells.push_back(std::string(chinese ? SourceKindChinese(f.source()) : SourceKindId(f.source())));
    cells.push_back(f.inspector_team());
    cells.push_back(Join(names));
    cells.push_back(Join(ids));
    cells.push_back(Join(kinds));
    for (int k = 0; k < 4; ++k) cells.push_back(Join(ev[k]));
    cells.push_back(Join(tags));
    v1::Finding rest;
    for (const auto& [k, v] : f.attrs()) (*rest.mutable_attrs())[k] = v;
    for (const std::string& a : options_.attr_columns) {
      auto it = rest.attrs().find(a);
      cells.push_back(it == rest.attrs().end() ? "" : it->second);
      rest.mutable_attrs()->erase(a);
    }
    if (rest.attrs().empty()) {
      cells.emplace_back();
    } else {
      std::string json;
      XUNCHA_RETURN_IF_ERROR(io_internal::AppendJsonLine(rest, &json));
      // {"attrs":{...}}\n  ->  {...}
      constexpr std::string_view kOpen = "{\"attrs\":";
      cells.push_back(json.substr(kOpen.size(), json.size() - kOpen.size() - 2));
    }
    row_.clear();
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) row_ += ',';
      io_internal::AppendCsvField(cells[i], &row_);
    }
    row_ += "\r\n";
    if (!utf8::IsValid(row_)) return InvalidArgumentError("finding is not valid UTF-8");
    return Emit(row_);
  }

  Status Write(const v1::Finding& f) {
    Status s;
    if (format_ == RecordFormat::kCsv) {
      s = WriteCsv(f);
    } else {
      row_.clear();
      if (format_ == RecordFormat::kBinary) {
        io_internal::AppendDelimited(f, &row_);
      } else {
        XUNCHA_RETURN_IF_ERROR(io_internal::AppendJsonLine(f, &row_));
      }
      s = file_->Append(row_);
    }
    if (s.ok()) ++count_;
    return s;
  }

  std::unique_ptr<AtomicFile> file_;
  RecordFormat format_;
  WriteOptions options_;
  std::unique_ptr<io_internal::Converter> to_gb_;
  std::string row_, encoded_;
  int64_t count_ = 0;
};

FindingWriter::FindingWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FindingWriter::~FindingWriter() = default;

StatusOr<std::unique_ptr<FindingWriter>> FindingWriter::Open(std::string_view path,
                                                             const WriteOptions& options) {
  XUNCHA_ASSIGN_OR_RETURN(RecordFormat format, ResolveFormat(options.format, path));
  XUNCHA_ASSIGN_OR_RETURN(auto file, AtomicFile::Create(path));
  auto impl = std::make_unique<Impl>(std::move(file), format, options);
  if (format == RecordFormat::kCsv) XUNCHA_RETURN_IF_ERROR(impl->StartCsv());
  return std::unique_ptr<FindingWriter>(new FindingWriter(std::move(impl)));
}

Status FindingWriter::Write(const v1::Finding& finding) { return impl_->Write(finding); }
Status FindingWriter::Commit() { return impl_->file_->Commit(); }
int64_t FindingWriter::count() const { return impl_->count_; }
int64_t FindingWriter::bytes_written() const { return impl_->file_->size(); }

}  // namespace xuncha
