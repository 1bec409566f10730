// _xuncha: the private pybind11 module behind the `xuncha` Python package.
//
// Design notes.
// * Thin shims (STYLE.md §12): every function here forwards to the public C++
//   API in include/xuncha/ and converts at the edge. Messages cross the
//   boundary as serialized bytes or as protobuf JSON text (proto field names,
//   deterministic serialization first so that map order is stable); the
//   Python package turns JSON text into dicts with the json module. So the
//   module needs no Python protobuf runtime.
// * The GIL is released around all work that does not touch Python objects:
//   Python strings/bytes are copied into std::strings first, then parsing,
//   classification and printing run without the GIL, and the results become
//   Python objects after it is taken back.
// * A failed Status becomes a Python exception: InvalidArgument / DataLoss /
//   OutOfRange -> ValueError, NotFound -> KeyError, Unavailable -> OSError,
//   anything else -> RuntimeError.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver.h>
#include <google/protobuf/util/type_resolver_util.h>

#include "xuncha/compiler.h"
#include "xuncha/diagnostic.h"
#include "xuncha/engine.h"
#include "xuncha/ledger.h"
#include "xuncha/patterns.h"
#include "xuncha/status.h"
#include "xuncha/v1/classification.pb.h"
#include "xuncha/v1/finding.pb.h"
#include "xuncha/v1/ledger.pb.h"
#include "xuncha/v1/patterns.pb.h"

namespace py = pybind11;
namespace pb = google::protobuf;

namespace xuncha::python {
namespace {

constexpr char kTypeUrlPrefix[] = "type.googleapis.com";

// Thrown without the GIL; translated to OSError by the module.
struct OsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Thrown without the GIL; translated to FileNotFoundError.
struct FileNotFound : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void Throw(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kDataLoss:
    case StatusCode::kOutOfRange:
      throw py::value_error(s.message());
    case StatusCode::kNotFound:
      throw py::key_error(s.message());
    case StatusCode::kUnavailable:
    case StatusCode::kPermissionDenied:
      throw OsError(s.message());
    default:
      throw std::runtime_error(s.ToString());
  }
}

void Check(const Status& s) {
  if (!s.ok()) Throw(s);
}

std::string SerializeDeterministic(const pb::Message& message) {
  std::string out;
  {
    pb::io::StringOutputStream stream(&out);
    pb::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

pb::util::TypeResolver* Resolver() {
  static pb::util::TypeResolver* resolver = pb::util::NewTypeResolverForDescriptorPool(
      kTypeUrlPrefix, pb::DescriptorPool::generated_pool());
  return resolver;
}

// Protobuf JSON with proto field names; map entries in key order. No GIL
// needed.
Status ToJson(const pb::Message& message, std::string* out) {
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  out->clear();
  auto status = pb::util::BinaryToJsonString(
      Resolver(), std::string(kTypeUrlPrefix) + "/" + message.GetDescriptor()->full_name(),
      SerializeDeterministic(message), out, options);
  if (!status.ok()) {
    return InternalError("cannot print " + message.GetDescriptor()->full_name() + " as JSON: " +
                         status.message().as_string());
  }
  return Status::OK();
}

// Accepts JSON mapping names and proto field names; unknown fields are an
// error (a misspelt key must not vanish).
Status FromJson(const std::string& json, pb::Message* message, const char* what) {
  message->Clear();
  auto status = pb::util::JsonStringToMessage(json, message);
  if (!status.ok()) {
    return InvalidArgumentError(std::string("not a ") + what + " in JSON: " +
                                status.message().as_string());
  }
  return Status::OK();
}

Status FromBytes(const std::string& bytes, pb::Message* message, const char* what) {
  message->Clear();
  if (!message->ParseFromString(bytes)) {
    return InvalidArgumentError(std::string("not a serialized ") + what);
  }
  return Status::OK();
}

std::string JsonOrThrow(const pb::Message& message) {
  std::string out;
  Check(ToJson(message, &out));
  return out;
}

// --- Compiling ---------------------------------------------------------------

py::dict DiagnosticDict(const Diagnostic& d) {
  py::dict out;
  out["path"] = d.location.path;
  out["line"] = d.location.line;
  out["column"] = d.location.column;
  out["offset"] = d.location.offset;
  out["length"] = d.location.length;
  out["severity"] = std::string(SeverityName(d.severity));
  out["code"] = d.code;
  out["message"] = d.message;
  out["rule_id"] = d.rule_id;
  out["source_line"] = d.source_line;
  out["rendered"] = d.ToString();
  return out;
}

class PyEngine;

// Runs fn(0..n-1) on up to `threads` threads in contiguous blocks. Returns
// the error of the lowest failing index (every index is still visited).
Status ParallelFor(size_t n, int threads, const std::function<Status(size_t)>& fn) {
  const size_t workers = std::min<size_t>(std::max(threads, 1), std::max<size_t>(n / 64, 1));
  std::vector<Status> first_error(workers);
  std::vector<size_t> error_index(workers, n);
  auto run = [&](size_t w) {
    const size_t begin = n * w / workers, end = n * (w + 1) / workers;
    for (size_t i = begin; i < end; ++i) {
      Status s = fn(i);
      if (!s.ok() && error_index[w] == n) {
        error_index[w] = i;
        first_error[w] = std::move(s);
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(run, w);
  run(0);
  for (std::thread& t : pool) t.join();
  for (size_t w = 0; w < workers; ++w) {
    if (error_index[w] != n) return first_error[w];
  }
  return Status::OK();
}

// Returns (engine or None, [diagnostic dicts]).
py::tuple Compile(const std::vector<std::string>& paths,
                  const std::vector<std::pair<std::string, std::string>>& sources,
                  bool warnings_as_errors);

// --- Engine --------------------------------------------------------------------

// Kinds of input/output record of the batch calls.
enum class Wire { kJson, kBytes };

class PyEngine {
 public:
  explicit PyEngine(std::shared_ptr<const Engine> engine) : engine_(std::move(engine)) {}

  const std::string& name() const { return engine_->name(); }
  const std::string& version() const { return engine_->version(); }
  const std::string& hash() const { return engine_->hash(); }
  size_t rule_count() const { return engine_->rule_count(); }
  const std::shared_ptr<const Engine>& engine() const { return engine_; }

  // The rule set's pattern definitions, serialized PatternDefs.
  std::vector<py::bytes> PatternDefs() const {
    std::vector<py::bytes> out;
    for (const v1::PatternDef& def : engine_->rule_set().pattern()) {
      out.emplace_back(SerializeDeterministic(def));
    }
    return out;
  }

  // One finding, decoded as `in` and answered as `out`. `with_finding`
  // answers a ClassifiedFinding instead of a Classification.
  py::object ClassifyOne(const std::string& input, Wire in, Wire out_wire, bool with_finding) {
    std::string out;
    {
      py::gil_scoped_release release;
      v1::ClassifiedFinding record;
      Check(Decode(input, in, record.mutable_finding()));
      Matcher matcher(engine_);
      Status s = matcher.Classify(record.finding(), record.mutable_classification());
      // A finding that cannot be classified still gets its record, with the
      // error in classification.errors, as ClassifyBatch does.
      if (!s.ok() && record.classification().errors_size() == 0) Check(s);
      const pb::Message& m =
          with_finding ? static_cast<const pb::Message&>(record) : record.classification();
      Check(Encode(m, out_wire, &out));
    }
    return Wrap(std::move(out), out_wire);
  }

  // Many findings on `threads` threads (0 = all cores), output in input
  // order; the GIL is released for all of it but the copies in and out.
  // Decoding and encoding (JSON above all) cost as much as classifying, so
  // they run on the same threads (ParallelFor) rather than on the calling
  // thread inside ClassifyBatch's source and sink.
  py::list ClassifyMany(const py::iterable& inputs, Wire in_wire, Wire out_wire,
                        bool with_finding, int threads) {
    std::vector<std::string> in;
    for (py::handle item : inputs) in.push_back(item.cast<std::string>());
    const size_t n = in.size();
    std::vector<std::string> out(n);
    {
      py::gil_scoped_release release;
      if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
      std::vector<v1::ClassifiedFinding> records(n);
      Check(ParallelFor(n, threads, [&](size_t i) -> Status {
        Status s = Decode(in[i], in_wire, records[i].mutable_finding());
        std::string().swap(in[i]);  // free the input early
        if (!s.ok()) return Status(s.code(), "record " + std::to_string(i) + ": " + s.message());
        return Status::OK();
      }));
      size_t next_in = 0;
      size_t next_out = 0;
      auto next = [&](v1::Finding* finding) -> StatusOr<bool> {
        if (next_in == n) return false;
        *finding = std::move(*records[next_in++].mutable_finding());
        return true;
      };
      auto emit = [&](v1::Finding&& finding, v1::Classification&& c) -> Status {
        if (next_out == n) return InternalError("batch emitted more records than read");
        v1::ClassifiedFinding& r = records[next_out++];
        *r.mutable_finding() = std::move(finding);
        *r.mutable_classification() = std::move(c);
        return Status::OK();
      };
      BatchOptions options;
      options.threads = threads;
      BatchStats stats;
      Status failed = ClassifyBatch(engine_, next, emit, options, &stats);
      if (failed.ok() && next_out != n) {
        failed = InternalError("batch emitted " + std::to_string(next_out) + " of " +
                               std::to_string(n) + " records");
      }
      Check(failed);
      Check(ParallelFor(n, threads, [&](size_t i) -> Status {
        const pb::Message& m = with_finding ? static_cast<const pb::Message&>(records[i])
                                            : records[i].classification();
        Status s = Encode(m, out_wire, &out[i]);
        records[i].Clear();
        return s;
      }));
    }
    py::list result(n);
    for (size_t i = 0; i < n; ++i) {
      result[i] = Wrap(std::move(out[i]), out_wire);
    }
    return result;
  }

  std::string Explain(const std::string& input, Wire wire, const std::string& rule_id) {
    py::gil_scoped_release release;
    v1::Finding finding;
    Check(Decode(input, wire, &finding));
    Matcher matcher(engine_);
    StatusOr<std::string> text = matcher.Explain(finding, rule_id);
    if (!text.ok()) Throw(text.status());
    return *std::move(text);
  }

 private:
  static Status Decode(const std::string& input, Wire wire, v1::Finding* finding) {
    return wire == Wire::kJson ? FromJson(input, finding, "xuncha.v1.Finding")
                               : FromBytes(input, finding, "xuncha.v1.Finding");
  }
  static Status Encode(const pb::Message& m, Wire wire, std::string* out) {
    if (wire == Wire::kJson) return ToJson(m, out);
    *out = SerializeDeterministic(m);
    return Status::OK();
  }
  static py::object Wrap(std::string&& s, Wire wire) {
    if (wire == Wire::kJson) return py::str(s);
    return py::bytes(s);
  }

  std::shared_ptr<const Engine> engine_;
};

py::tuple Compile(const std::vector<std::string>& paths,
                  const std::vector<std::pair<std::string, std::string>>& sources,
                  bool warnings_as_errors) {
  CompileResult result;
  {
    py::gil_scoped_release release;
    CompileOptions options;
    options.warnings_as_errors = warnings_as_errors;
    Compiler compiler(options);
    for (const std::string& path : paths) {
      Status s = compiler.AddPath(path);
      if (!s.ok()) throw OsError(s.message());  // AddPath fails only on I/O
    }
    for (const auto& [path, content] : sources) Check(compiler.AddSource(path, content));
    StatusOr<CompileResult> finished = compiler.Finish();
    if (!finished.ok()) {
      // Rule files are read at Finish(): a missing one is a missing file.
      if (finished.status().code() == StatusCode::kNotFound) {
        throw FileNotFound(finished.status().message());
      }
      Throw(finished.status());
    }
    result = *std::move(finished);
  }
  py::list diagnostics;
  for (const Diagnostic& d : result.diagnostics) diagnostics.append(DiagnosticDict(d));
  py::object engine = py::none();
  if (result.engine != nullptr) engine = py::cast(PyEngine(result.engine));
  return py::make_tuple(engine, diagnostics);
}

// --- Patterns ------------------------------------------------------------------

// A PatternAccumulator together with the definitions it serves.
class PyAccumulator {
 public:
  // `defs`: serialized PatternDefs; empty means DefaultPatternDefs().
  explicit PyAccumulator(const std::vector<std::string>& defs) {
    for (const std::string& bytes : defs) {
      v1::PatternDef def;
      Check(FromBytes(bytes, &def, "xuncha.v1.PatternDef"));
      defs_.push_back(std::move(def));
    }
    if (defs_.empty()) defs_ = DefaultPatternDefs();
    StatusOr<AccumulatorOptions> options = AccumulatorOptions::ForDefs(defs_);
    if (!options.ok()) Throw(options.status());
    acc_ = PatternAccumulator(*std::move(options));
  }

  void Add(const std::string& input, Wire wire) {
    py::gil_scoped_release release;
    v1::ClassifiedFinding record;
    Check(wire == Wire::kJson ? FromJson(input, &record, "xuncha.v1.ClassifiedFinding")
                              : FromBytes(input, &record, "xuncha.v1.ClassifiedFinding"));
    acc_.Add(record);
  }

  void AddMany(const py::iterable& inputs, Wire wire) {
    std::vector<std::string> in;
    for (py::handle item : inputs) in.push_back(item.cast<std::string>());
    py::gil_scoped_release release;
    v1::ClassifiedFinding record;
    for (size_t i = 0; i < in.size(); ++i) {
      Status s = wire == Wire::kJson ? FromJson(in[i], &record, "xuncha.v1.ClassifiedFinding")
                                     : FromBytes(in[i], &record, "xuncha.v1.ClassifiedFinding");
      if (!s.ok()) Throw(Status(s.code(), "record " + std::to_string(i) + ": " + s.message()));
      acc_.Add(record);
    }
  }

  // With `consume`, `other`'s state is moved in rather than copied (much
  // cheaper for large shards) and `other` is left empty.
  void Merge(PyAccumulator& other, bool consume) {
    if (&other == this) throw py::value_error("cannot merge an accumulator into itself");
    if (DefsBytes() != other.DefsBytes()) {
      throw py::value_error("cannot merge accumulators for different pattern definitions");
    }
    py::gil_scoped_release release;
    Check(consume ? acc_.Merge(std::move(other.acc_)) : acc_.Merge(other.acc_));
  }

  // Serialized PatternDefs.
  std::vector<std::string> DefsBytes() const {
    std::vector<std::string> out;
    for (const v1::PatternDef& def : defs_) out.push_back(SerializeDeterministic(def));
    return out;
  }
  py::list Defs() const {
    py::list out;
    for (std::string& s : DefsBytes()) out.append(py::bytes(s));
    return out;
  }

  py::bytes State() const { return py::bytes(SerializeDeterministic(acc_.Serialize())); }

  static PyAccumulator FromState(const std::vector<std::string>& defs, const std::string& state) {
    PyAccumulator out(defs);
    v1::PatternState message;
    Check(FromBytes(state, &message, "xuncha.v1.PatternState"));
    StatusOr<PatternAccumulator> acc = PatternAccumulator::Parse(message);
    if (!acc.ok()) Throw(acc.status());
    if (acc->options().shingle_chars != out.acc_.options().shingle_chars ||
        acc->options().attr_keys != out.acc_.options().attr_keys) {
      throw py::value_error("pattern state does not match its definitions");
    }
    out.acc_ = *std::move(acc);
    return out;
  }

  // PatternReport as JSON; `previous` are earlier-round ClassifiedFindings
  // (JSON) for recurrence, `rectified_ids` those the ledger marked rectified.
  std::string Report(const std::vector<std::string>& previous,
                     const std::vector<std::string>& rectified_ids,
                     const std::vector<std::string>& inspected_unit_ids) const {
    py::gil_scoped_release release;
    std::vector<v1::ClassifiedFinding> earlier(previous.size());
    for (size_t i = 0; i < previous.size(); ++i) {
      Status s = FromJson(previous[i], &earlier[i], "xuncha.v1.ClassifiedFinding");
      if (!s.ok()) {
        Throw(Status(s.code(), "previous record " + std::to_string(i) + ": " + s.message()));
      }
    }
    FinishOptions options;
    options.inspected_unit_ids = inspected_unit_ids;
    StatusOr<v1::PatternReport> report =
        acc_.Finish(defs_, PreviousRecordsFromClassified(earlier, rectified_ids), options);
    if (!report.ok()) Throw(report.status());
    return JsonOrThrow(*report);
  }

  int64_t size() const { return acc_.size(); }

 private:
  std::vector<v1::PatternDef> defs_;
  PatternAccumulator acc_;
};

// --- Ledger --------------------------------------------------------------------

std::vector<std::string> ReadLedger(const std::string& path, bool with_history) {
  std::vector<std::string> out;
  {
    py::gil_scoped_release release;
    StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(path);
    if (!ledger.ok()) Throw(ledger.status());
    Check((*ledger)->ForEach(
        [&](const v1::LedgerEntry& entry) -> Status {
          std::string json;
          XUNCHA_RETURN_IF_ERROR(ToJson(entry, &json));
          out.push_back(std::move(json));
          return Status::OK();
        },
        with_history));
  }
  return out;
}

// --- Messages ------------------------------------------------------------------

// Any xuncha.v1 message between protobuf JSON and the binary wire format.
py::bytes JsonToBinary(const std::string& type, const std::string& json) {
  std::string out;
  {
    py::gil_scoped_release release;
    if (pb::DescriptorPool::generated_pool()->FindMessageTypeByName(type) == nullptr) {
      Throw(InvalidArgumentError("unknown message type " + type));
    }
    auto status = pb::util::JsonToBinaryString(Resolver(), std::string(kTypeUrlPrefix) + "/" + type,
                                               json, &out);
    if (!status.ok()) {
      Throw(InvalidArgumentError("not a " + type + " in JSON: " + status.message().as_string()));
    }
  }
  return py::bytes(out);
}

std::string BinaryToJson(const std::string& type, const std::string& bytes) {
  py::gil_scoped_release release;
  const pb::Descriptor* d = pb::DescriptorPool::generated_pool()->FindMessageTypeByName(type);
  if (d == nullptr) Throw(InvalidArgumentError("unknown message type " + type));
  std::unique_ptr<pb::Message> m(
      pb::MessageFactory::generated_factory()->GetPrototype(d)->New());
  Check(FromBytes(bytes, m.get(), type.c_str()));
  return JsonOrThrow(*m);
}

}  // namespace
}  // namespace xuncha::python

PYBIND11_MODULE(_xuncha, m) {
  using namespace xuncha::python;  // NOLINT
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const OsError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    } catch (const FileNotFound& e) {
      PyErr_SetString(PyExc_FileNotFoundError, e.what());
    }
  });
  m.doc() = "Private C++ core of the xuncha package; use `import xuncha` instead.";

  m.def("compile", &Compile, py::arg("paths"), py::arg("sources"),
        py::arg("warnings_as_errors") = false,
        "compile(paths, sources, warnings_as_errors) -> (Engine | None, [diagnostic dict]).\n"
        "sources is a list of (name, text). Raises OSError/ValueError/RuntimeError for I/O\n"
        "failures and limits; errors in the rules are diagnostics and engine None.");

  py::class_<PyEngine>(m, "Engine", "A compiled rule set (immutable, thread-safe).")
      .def_property_readonly("name", &PyEngine::name, "Rule-set name.")
      .def_property_readonly("version", &PyEngine::version, "Rule-set version.")
      .def_property_readonly("hash", &PyEngine::hash, "\"sha256:<hex>\" of the rules.")
      .def_property_readonly("rule_count", &PyEngine::rule_count, "Number of rules.")
      .def("pattern_defs", &PyEngine::PatternDefs,
           "The rule set's PatternDefs, each serialized (empty if it defines none).")
      .def(
          "classify",
          [](PyEngine& e, const std::string& input, bool binary_in, bool binary_out,
             bool with_finding) {
            return e.ClassifyOne(input, binary_in ? Wire::kBytes : Wire::kJson,
                                 binary_out ? Wire::kBytes : Wire::kJson, with_finding);
          },
          py::arg("finding"), py::arg("binary_in") = false, py::arg("binary_out") = false,
          py::arg("with_finding") = false,
          "One Finding (JSON str, or serialized bytes with binary_in) -> Classification\n"
          "(ClassifiedFinding with with_finding) as JSON str, or bytes with binary_out.")
      .def(
          "classify_batch",
          [](PyEngine& e, const py::iterable& in, int threads, bool binary_in, bool binary_out,
             bool with_finding) {
            return e.ClassifyMany(in, binary_in ? Wire::kBytes : Wire::kJson,
                                  binary_out ? Wire::kBytes : Wire::kJson, with_finding,
                                  threads);
          },
          py::arg("findings"), py::arg("threads") = 0, py::arg("binary_in") = false,
          py::arg("binary_out") = false, py::arg("with_finding") = false,
          "As classify, for many findings on `threads` threads (0 = all cores), in input\n"
          "order; releases the GIL.")
      .def(
          "explain_json",
          [](PyEngine& e, const std::string& json, const std::string& rule_id) {
            return e.Explain(json, Wire::kJson, rule_id);
          },
          py::arg("finding_json"), py::arg("rule_id") = "",
          "A readable trace of how the finding is classified (KeyError: unknown rule_id).")
      .def(
          "explain_bytes",
          [](PyEngine& e, const std::string& bytes, const std::string& rule_id) {
            return e.Explain(bytes, Wire::kBytes, rule_id);
          },
          py::arg("finding"), py::arg("rule_id") = "", "As explain_json, for a serialized Finding.");

  py::class_<PyAccumulator>(m, "PatternAccumulator",
                            "Mergeable cross-unit pattern state (thread-compatible).")
      .def(py::init<const std::vector<std::string>&>(), py::arg("defs"),
           "defs: serialized PatternDefs; empty = the default definitions.")
      .def(
          "add_json",
          [](PyAccumulator& a, const std::string& s) { a.Add(s, Wire::kJson); },
          py::arg("classified_json"), "Adds one ClassifiedFinding given as JSON.")
      .def(
          "add_bytes",
          [](PyAccumulator& a, const std::string& s) { a.Add(s, Wire::kBytes); },
          py::arg("classified"), "Adds one serialized ClassifiedFinding.")
      .def(
          "add_many_json",
          [](PyAccumulator& a, const py::iterable& in) { a.AddMany(in, Wire::kJson); },
          py::arg("classified_json"), "Adds many ClassifiedFindings given as JSON.")
      .def("merge", &PyAccumulator::Merge, py::arg("other"), py::arg("consume") = false,
           "Adds everything `other` holds (ValueError when definitions differ); with "
           "consume=True moves it instead of copying and leaves `other` empty.")
      .def("defs", &PyAccumulator::Defs, "The serialized PatternDefs served.")
      .def("state", &PyAccumulator::State, "Serialized PatternState (canonical).")
      .def_static("from_state", &PyAccumulator::FromState, py::arg("defs"), py::arg("state"),
                  "Rebuilds an accumulator from defs() and state().")
      .def("report_json", &PyAccumulator::Report, py::arg("previous") = std::vector<std::string>{},
           py::arg("rectified_ids") = std::vector<std::string>{},
           py::arg("inspected_unit_ids") = std::vector<std::string>{},
           "PatternReport as JSON.")
      .def("__len__", &PyAccumulator::size, "Findings added (merged ones included).");

  m.def("json_to_binary", &JsonToBinary, py::arg("type"), py::arg("json"),
        "Serializes protobuf JSON of message `type` (e.g. \"xuncha.v1.Finding\").");
  m.def("binary_to_json", &BinaryToJson, py::arg("type"), py::arg("data"),
        "Protobuf JSON (proto field names) of serialized message `type`.");
  m.def("read_ledger_json", &ReadLedger, py::arg("path"), py::arg("with_history") = true,
        "Every ledger entry by seq, as LedgerEntry JSON texts.");
}
