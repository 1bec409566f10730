// Ledger exports: CSV, xlsx (libxlsxwriter), JSONL and delimited binary.
// Rules in include/xuncha/ledger_export.h.
//
// Design note: each format is a sink that takes one entry at a time, so the
// ledger streams to disk without holding every entry (the xlsx sink in
// constant-memory mode included). Sinks write into a temp file beside the
// target; Commit() fsyncs and renames it, so readers never see half a file.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver_util.h>

#include "output/atomic_file.h"
#include "xuncha/ledger_export.h"
#include "xuncha/taxonomy.h"

namespace xuncha {

namespace {

struct Column {
  std::string_view header;
  double width;  // xlsx column width in characters
};

const std::vector<Column>& Columns() {
  static const auto* v = new std::vector<Column>{
      {"序号", 6},           {"问题编号", 14},        {"来源", 6},
      {"轮次", 10},          {"被巡察单位", 18},      {"问题类别", 14},
      {"问题子类", 20},      {"问题描述", 50},        {"涉及金额(元)", 16},
      {"定性(纪律)", 11},    {"性质", 11},            {"依据", 30},
      {"处置方式", 12},      {"移交对象", 13},        {"责任单位/部门", 16},
      {"责任领导", 10},      {"责任人", 10},          {"整改措施", 30},
      {"整改目标/验收标准", 24}, {"整改时限", 12},    {"整改状态", 11},
      {"完成时间", 12},      {"佐证材料", 24},        {"清退/追缴金额(元)", 16},
      {"问责情况", 20},      {"建章立制", 24},        {"销号时间", 12},
      {"公开范围", 10},      {"备注", 36},
  };
  return *v;
}

constexpr int kColSeq = 0;
constexpr int kColAmount = 8;
constexpr int kColRecovered = 23;
constexpr size_t kMaxCellBytes = 32767;

std::string_view SourceName(v1::SourceKind k) {
  switch (k) {
    case v1::SOURCE_KIND_AUDIT:
      return "审计";
    case v1::SOURCE_KIND_SELF_CHECK:
      return "自查";
    default:
      return "巡察";
  }
}

void Join(std::string* out, std::string_view part, std::string_view sep = "；") {
  if (part.empty()) return;
  if (!out->empty()) *out += sep;
  *out += part;
}

// The amount involved: the classification's (it may come from the text),
// else the finding's own; empty when neither is stated.
const v1::Money* Amount(const v1::LedgerEntry& e) {
  if (e.classification().has_amount() && e.classification().amount().fen() != 0) {
    return &e.classification().amount();
  }
  if (e.finding().has_amount()) return &e.finding().amount();
  return nullptr;
}

}  // namespace

const std::vector<std::string_view>& LedgerColumns() {
  static const auto* v = [] {
    auto* h = new std::vector<std::string_view>;
    for (const Column& c : Columns()) h->push_back(c.header);
    return h;
  }();
  return *v;
}

std::string FormatYuan(int64_t fen) {
  bool neg = fen < 0;
  uint64_t u = neg ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu", neg ? "-" : "",
                static_cast<unsigned long long>(u / 100), static_cast<unsigned long long>(u % 100));
  return buf;
}

std::vector<std::string> LedgerRow(const v1::LedgerEntry& entry, const ExportOptions& options) {
  const v1::LedgerEntry masked = options.mask_personal_data ? MaskEntry(entry) : v1::LedgerEntry();
  const v1::LedgerEntry& e = options.mask_personal_data ? masked : entry;
  const v1::Finding& f = e.finding();
  const v1::Classification& c = e.classification();
  const v1::Rectification& r = e.rectification();
  std::vector<std::string> row;
  row.reserve(Columns().size());
  row.push_back(std::to_string(e.seq()));
  row.push_back(e.id());
  row.emplace_back(SourceName(f.source()));
  row.push_back(f.round());
  row.push_back(f.unit().name().empty() ? f.unit().id() : f.unit().name());
  row.emplace_back(CategoryName(c.category()));
  row.emplace_back(SubcategoryName(c.category(), c.subcategory()));
  row.push_back(f.text());
  const v1::Money* amount = Amount(e);
  row.push_back(amount != nullptr ? FormatYuan(amount->fen()) : "");
  row.emplace_back(DisciplineName(c.discipline()));
  row.emplace_back(NatureName(c.nature()));
  std::string basis;
  for (const v1::Basis& b : c.basis()) {
    std::string one = b.regulation();
    if (!b.version().empty()) one += "（" + b.version() + "）";
    one += b.article();
    Join(&basis, one);
  }
  row.push_back(basis);
  row.emplace_back(DispositionName(c.disposition()));
  row.emplace_back(TransferTargetName(e.transfer_target()));
  row.push_back(r.responsible_unit());
  row.push_back(r.responsible_leader());
  row.push_back(r.responsible_person());
  row.push_back(r.measures());
  row.push_back(r.target());
  row.push_back(r.deadline());
  row.emplace_back(LifecycleStateName(e.state()));
  row.push_back(r.completed_on());
  row.push_back(r.evidence());
  row.push_back(r.has_recovered() && r.recovered().fen() != 0 ? FormatYuan(r.recovered().fen())
                                                               : "");
  std::string acc = r.accountability();
  if (r.people_handled() > 0) acc += "（处理" + std::to_string(r.people_handled()) + "人）";
  row.push_back(acc);
  std::string rules;
  for (const std::string& rule : r.rules_made()) Join(&rules, rule);
  row.push_back(rules);
  row.push_back(e.closed_at().substr(0, 10));
  row.emplace_back(DisclosureName(e.disclosure().empty() ? "internal" : e.disclosure()));
  std::string note;
  for (const v1::Explanation& x : e.explanations()) Join(&note, "单位说明：" + x.text());
  if (!r.extension_reason().empty()) {
    Join(&note, "延期理由：" + r.extension_reason() + "（延期" + std::to_string(r.extensions()) +
                    "次，原时限" + r.original_deadline() + "）");
  }
  if (!e.write_off_reason().empty()) {
    Join(&note, "销号理由：" + e.write_off_reason() + "（依据：" + e.write_off_basis() + "）");
  }
  if (e.escalations_size() > 0) {
    std::string steps;
    for (const v1::Escalation& x : e.escalations()) {
      std::string_view name = x.level();
      for (const TaxonomyEntry& l : EscalationLevels()) {
        if (l.id == x.level()) name = l.name;
      }
      Join(&steps, name, "→");
    }
    Join(&note, "逾期督办：" + steps);
  }
  if (!e.feedback().empty()) Join(&note, "反馈：" + e.feedback());
  if (e.recurrence()) Join(&note, "屡查屡犯");
  Join(&note, e.note());
  row.push_back(note);
  return row;
}

using output_internal::OutputFile;

namespace {

// --- Sinks ------------------------------------------------------------------

class Sink {
 public:
  virtual ~Sink() = default;
  virtual Status Begin() = 0;
  virtual Status Add(const v1::LedgerEntry& e) = 0;
  virtual Status Finish() = 0;
};

void AppendCsvRow(const std::vector<std::string>& cells, std::string* out) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) *out += ',';
    *out += '"';
    for (char ch : cells[i]) {
      if (ch == '"') *out += '"';
      *out += ch;
    }
    *out += '"';
  }
  *out += "\r\n";
}

std::string LedgerCsvHeaderRow() {
  std::string out = "\xEF\xBB\xBF";
  std::vector<std::string> h(LedgerColumns().begin(), LedgerColumns().end());
  AppendCsvRow(h, &out);
  return out;
}

class CsvSink : public Sink {
 public:
  CsvSink(const std::string& path, const ExportOptions& o) : file_(path), options_(o) {}
  Status Begin() override {
    XUNCHA_RETURN_IF_ERROR(file_.Create());
    return file_.Write(LedgerCsvHeaderRow());
  }
  Status Add(const v1::LedgerEntry& e) override {
    buf_.clear();
    AppendCsvRow(LedgerRow(e, options_), &buf_);
    return file_.Write(buf_);
  }
  Status Finish() override { return file_.Commit(); }

 private:
  OutputFile file_;
  ExportOptions options_;
  std::string buf_;  // one row; OutputFile buffers the writes
};

class XlsxSink : public Sink {
 public:
  XlsxSink(const std::string& path, const ExportOptions& o) : file_(path), options_(o) {}
  ~XlsxSink() override {
    if (wb_ != nullptr) workbook_close(wb_);  // on an error path; the temp is removed
  }
  Status Begin() override {
    XUNCHA_RETURN_IF_ERROR(file_.Create());
    file_.CloseFd();
    lxw_workbook_options wo{};
    wo.constant_memory = options_.xlsx_constant_memory ? LXW_TRUE : LXW_FALSE;
    wo.use_zip64 = LXW_TRUE;
    wb_ = workbook_new_opt(file_.tmp().c_str(), &wo);
    if (wb_ == nullptr) return InternalError("xlsxwriter: cannot create workbook " + file_.tmp());
    ws_ = workbook_add_worksheet(wb_, "问题台账");
    header_ = workbook_add_format(wb_);
    format_set_bold(header_);
    format_set_text_wrap(header_);
    format_set_align(header_, LXW_ALIGN_CENTER);
    format_set_align(header_, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(header_, 0xDDEBF7);
    format_set_border(header_, LXW_BORDER_THIN);
    body_ = workbook_add_format(wb_);
    format_set_text_wrap(body_);
    format_set_align(body_, LXW_ALIGN_VERTICAL_TOP);
    format_set_border(body_, LXW_BORDER_THIN);
    money_ = workbook_add_format(wb_);
    format_set_num_format(money_, "#,##0.00");
    format_set_align(money_, LXW_ALIGN_VERTICAL_TOP);
    format_set_border(money_, LXW_BORDER_THIN);
    const auto& cols = Columns();
    for (size_t i = 0; i < cols.size(); ++i) {
      lxw_col_t c = static_cast<lxw_col_t>(i);
      worksheet_set_column(ws_, c, c, cols[i].width, nullptr);
    }
    worksheet_set_row(ws_, 0, 32, nullptr);
    for (size_t i = 0; i < cols.size(); ++i) {
      std::string h(cols[i].header);
      XUNCHA_RETURN_IF_ERROR(
          Check(worksheet_write_string(ws_, 0, static_cast<lxw_col_t>(i), h.c_str(), header_)));
    }
    worksheet_freeze_panes(ws_, 1, 0);
    return Status::OK();
  }
  Status Add(const v1::LedgerEntry& e) override {
    if (row_ >= LXW_ROW_MAX - 1) {
      return ResourceExhaustedError("xlsx: more than 1048575 rows; export as CSV instead");
    }
    ++row_;
    std::vector<std::string> cells = LedgerRow(e, options_);
    for (size_t i = 0; i < cells.size(); ++i) {
      lxw_col_t c = static_cast<lxw_col_t>(i);
      const std::string& v = cells[i];
      if (v.empty()) {
        XUNCHA_RETURN_IF_ERROR(Check(worksheet_write_blank(ws_, row_, c, body_)));
      } else if (i == kColSeq) {
        XUNCHA_RETURN_IF_ERROR(
            Check(worksheet_write_number(ws_, row_, c, static_cast<double>(e.seq()), body_)));
      } else if (i == kColAmount || i == kColRecovered) {
        // Yuan with two decimals; the nearest double shows exactly for any
        // amount below 10^13 yuan (Excel shows 15 significant digits).
        XUNCHA_RETURN_IF_ERROR(
            Check(worksheet_write_number(ws_, row_, c, std::strtod(v.c_str(), nullptr), money_)));
      } else if (v.size() > kMaxCellBytes) {
        // Excel's cell limit; cut on a UTF-8 boundary.
        size_t n = kMaxCellBytes;
        while (n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;
        std::string cut = v.substr(0, n);
        XUNCHA_RETURN_IF_ERROR(Check(worksheet_write_string(ws_, row_, c, cut.c_str(), body_)));
      } else {
        XUNCHA_RETURN_IF_ERROR(Check(worksheet_write_string(ws_, row_, c, v.c_str(), body_)));
      }
    }
    return Status::OK();
  }
  Status Finish() override {
    worksheet_autofilter(ws_, 0, 0, row_, static_cast<lxw_col_t>(Columns().size() - 1));
    lxw_error err = workbook_close(wb_);
    wb_ = nullptr;
    if (err != LXW_NO_ERROR) {
      return InternalError(std::string("xlsxwriter: ") + lxw_strerror(err));
    }
    return file_.Commit();
  }

 private:
  static Status Check(lxw_error err) {
    if (err == LXW_NO_ERROR) return Status::OK();
    return InternalError(std::string("xlsxwriter: ") + lxw_strerror(err));
  }
  OutputFile file_;
  ExportOptions options_;
  lxw_workbook* wb_ = nullptr;
  lxw_worksheet* ws_ = nullptr;
  lxw_format* header_ = nullptr;
  lxw_format* body_ = nullptr;
  lxw_format* money_ = nullptr;
  lxw_row_t row_ = 0;
};

// JSON through the type resolver, from a deterministic serialization, so
// that map fields (Finding.attrs) come out in key order.
class JsonlSink : public Sink {
 public:
  JsonlSink(const std::string& path, const ExportOptions& o) : file_(path), options_(o) {}
  Status Begin() override {
    resolver_.reset(google::protobuf::util::NewTypeResolverForDescriptorPool(
        "type.googleapis.com", google::protobuf::DescriptorPool::generated_pool()));
    type_url_ = "type.googleapis.com/" + v1::LedgerEntry::descriptor()->full_name();
    return file_.Create();
  }
  Status Add(const v1::LedgerEntry& e) override {
    std::string bin;
    {
      google::protobuf::io::StringOutputStream sos(&bin);
      google::protobuf::io::CodedOutputStream cos(&sos);
      cos.SetSerializationDeterministic(true);
      e.SerializeToCodedStream(&cos);
    }
    google::protobuf::util::JsonPrintOptions jo;
    jo.preserve_proto_field_names = true;
    std::string json;
    auto st = google::protobuf::util::BinaryToJsonString(resolver_.get(), type_url_, bin, &json, jo);
    if (!st.ok()) return InternalError("json: " + st.ToString());
    json += '\n';
    return file_.Write(json);
  }
  Status Finish() override { return file_.Commit(); }

 private:
  OutputFile file_;
  ExportOptions options_;
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver_;
  std::string type_url_;
};

class BinSink : public Sink {
 public:
  BinSink(const std::string& path, const ExportOptions& o) : file_(path), options_(o) {}
  Status Begin() override { return file_.Create(); }
  Status Add(const v1::LedgerEntry& e) override {
    buf_.clear();
    {
      google::protobuf::io::StringOutputStream sos(&buf_);
      google::protobuf::io::CodedOutputStream cos(&sos);
      cos.SetSerializationDeterministic(true);
      cos.WriteVarint32(static_cast<uint32_t>(e.ByteSizeLong()));
      e.SerializeToCodedStream(&cos);
    }
    return file_.Write(buf_);
  }
  Status Finish() override { return file_.Commit(); }

 private:
  OutputFile file_;
  ExportOptions options_;
  std::string buf_;  // one row; OutputFile buffers the writes
};

StatusOr<std::unique_ptr<Sink>> MakeSink(std::string_view format, const std::string& path,
                                         const ExportOptions& options) {
  if (!IsDisclosureLevel(options.audience)) {
    return InvalidArgumentError("unknown audience '" + options.audience +
                                "' (public | internal | withheld)");
  }
  std::unique_ptr<Sink> sink;
  if (format == "csv") sink = std::make_unique<CsvSink>(path, options);
  if (format == "xlsx") sink = std::make_unique<XlsxSink>(path, options);
  if (format == "jsonl") sink = std::make_unique<JsonlSink>(path, options);
  if (format == "binpb") sink = std::make_unique<BinSink>(path, options);
  if (sink == nullptr) {
    return InvalidArgumentError("unknown export format '" + std::string(format) +
                                "' (csv | xlsx | jsonl | binpb)");
  }
  XUNCHA_RETURN_IF_ERROR(sink->Begin());
  return sink;
}

// Data exports carry the masked entry; the tables mask in LedgerRow.
bool MasksWholeEntry(std::string_view format) { return format == "jsonl" || format == "binpb"; }

}  // namespace

bool IsExportFormat(std::string_view format) {
  return format == "csv" || format == "xlsx" || format == "jsonl" || format == "binpb";
}

std::string LedgerCsv(const std::vector<v1::LedgerEntry>& entries, const ExportOptions& options) {
  std::string out = LedgerCsvHeaderRow();
  for (const v1::LedgerEntry& e : entries) {
    if (VisibleTo(e.disclosure(), options.audience)) AppendCsvRow(LedgerRow(e, options), &out);
  }
  return out;
}

StatusOr<int64_t> WriteLedger(const std::vector<v1::LedgerEntry>& entries,
                              std::string_view format, const std::string& path,
                              const ExportOptions& options) {
  XUNCHA_ASSIGN_OR_RETURN(std::unique_ptr<Sink> sink, MakeSink(format, path, options));
  int64_t n = 0;
  for (const v1::LedgerEntry& e : entries) {
    if (!VisibleTo(e.disclosure(), options.audience)) continue;
    if (MasksWholeEntry(format) && options.mask_personal_data) {
      XUNCHA_RETURN_IF_ERROR(sink->Add(MaskEntry(e)));
    } else {
      XUNCHA_RETURN_IF_ERROR(sink->Add(e));
    }
    ++n;
  }
  XUNCHA_RETURN_IF_ERROR(sink->Finish());
  return n;
}

StatusOr<int64_t> ExportLedger(Ledger& ledger, std::string_view format, const std::string& path,
                               const ExportOptions& options) {
  XUNCHA_ASSIGN_OR_RETURN(std::unique_ptr<Sink> sink, MakeSink(format, path, options));
  int64_t n = 0;
  XUNCHA_RETURN_IF_ERROR(ledger.ForEach(
      [&](const v1::LedgerEntry& e) -> Status {
        if (!VisibleTo(e.disclosure(), options.audience)) return Status::OK();
        ++n;
        if (MasksWholeEntry(format) && options.mask_personal_data) return sink->Add(MaskEntry(e));
        return sink->Add(e);
      },
      MasksWholeEntry(format)));
  XUNCHA_RETURN_IF_ERROR(sink->Finish());
  return n;
}

}  // namespace xuncha
