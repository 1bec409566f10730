// Reading and writing findings in each format: records/s and MB/s on
// generated Chinese findings (~150 characters of text each).
//
//   BM_Write/jsonl          FindingWriter to a file (commit included)
//   BM_Read/csv_gb18030     FindingReader over a file, id checks on
//   BM_ParseOnly/binary     baseline: protobuf ParseFromArray alone
//
// Run briefly: ./build/bench/io_bench --benchmark_min_time=0.2

#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "xuncha/finding_io.h"

namespace xuncha {
namespace {

constexpr int kRecords = 10000;

const char* kPhrases[] = {
    "将厂区道路修补拆成三份合同交同一施工队，合计约520万元，均未招标",
    "办公楼外立面改造3月开工，5月才发招标公告，存在先实施后招标问题",
    "以原供应商服务好为由单一来源采购检测仪，市场上同类产品多家",
    "一批劳保用品未验收即入库付款，验收单事后补签",
    "以安全生产奖名义按季向机关全员每人发2000元，未列入工资总额",
    "接待外单位6人，陪餐5人，费用列入会议费",
};

v1::Finding Sample(int i) {
  v1::Finding f;
  f.set_id("XC-2024-" + std::to_string(100000 + i));
  f.mutable_unit()->set_id("U-" + std::to_string(i % 50));
  f.mutable_unit()->set_name("某集团第" + std::to_string(i % 50) + "分公司");
  f.set_round("2024-R1");
  std::string text = "(虚构) 该单位";
  for (int k = 0; k < 3; ++k) {
    text += kPhrases[(i + k) % 6];
    text += "；";
  }
  f.set_text(text);  // ~150 characters
  f.mutable_amount()->set_fen(int64_t{1000} * (i % 9973));
  f.set_found_on("2024-03-05");
  f.set_source(v1::SOURCE_KIND_DOCUMENT_REVIEW);
  f.set_inspector_team("第三巡察组");
  f.add_counterparties()->set_name("某某建筑工程有限公司");
  f.add_tags("化整为零");
  return f;
}

const std::vector<v1::Finding>& Corpus() {
  static const auto* corpus = [] {
    auto* v = new std::vector<v1::Finding>();
    for (int i = 0; i < kRecords; ++i) v->push_back(Sample(i));
    return v;
  }();
  return *corpus;
}

std::string BenchDir() {
  static const std::string dir = [] {
    std::string base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
    std::string templ = base + "/xuncha_io_bench_XXXXXX";
    char* p = ::mkdtemp(templ.data());
    return std::string(p == nullptr ? "/tmp" : p);
  }();
  return dir;
}

struct Variant {
  const char* name;
  const char* ext;
  TextEncoding encoding;
};

constexpr Variant kVariants[] = {
    {"jsonl", "jsonl", TextEncoding::kUtf8},
    {"binary", "pb", TextEncoding::kUtf8},
    {"csv_utf8", "csv", TextEncoding::kUtf8},
    {"csv_gb18030", "csv", TextEncoding::kGb18030},
};

std::string PathFor(const Variant& v) { return BenchDir() + "/" + v.name + "." + v.ext; }

int64_t WriteCorpus(const Variant& v) {
  WriteOptions o;
  o.encoding = v.encoding;
  auto w = FindingWriter::Open(PathFor(v), o);
  if (!w.ok()) return -1;
  for (const auto& f : Corpus()) {
    if (!(*w)->Write(f).ok()) return -1;
  }
  if (!(*w)->Commit().ok()) return -1;
  return (*w)->bytes_written();
}

void BM_Write(benchmark::State& state) {
  const Variant& v = kVariants[state.range(0)];
  state.SetLabel(v.name);
  Corpus();
  int64_t bytes = 0;
  for (auto _ : state) {
    bytes = WriteCorpus(v);
    if (bytes < 0) state.SkipWithError("write failed");
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
  state.SetBytesProcessed(state.iterations() * bytes);
}

void BM_Read(benchmark::State& state) {
  const Variant& v = kVariants[state.range(0)];
  state.SetLabel(v.name);
  int64_t bytes = WriteCorpus(v);
  if (bytes < 0) state.SkipWithError("write failed");
  v1::Finding f;
  for (auto _ : state) {
    auto r = FindingReader::Open(PathFor(v));
    if (!r.ok()) state.SkipWithError("open failed");
    int n = 0;
    while ((*r)->Next(&f)) ++n;
    if (n != kRecords || (*r)->counts().rejected != 0) state.SkipWithError("records lost");
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
  state.SetBytesProcessed(state.iterations() * bytes);
}

// Baseline for BM_Read/binary: protobuf's parser alone on in-memory bytes.
void BM_ParseOnlyBinary(benchmark::State& state) {
  std::vector<std::string> serialized;
  int64_t bytes = 0;
  for (const auto& f : Corpus()) {
    serialized.push_back(f.SerializeAsString());
    bytes += static_cast<int64_t>(serialized.back().size());
  }
  v1::Finding f;
  for (auto _ : state) {
    for (const std::string& s : serialized) {
      benchmark::DoNotOptimize(f.ParseFromString(s));
    }
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
  state.SetBytesProcessed(state.iterations() * bytes);
}

BENCHMARK(BM_Write)->DenseRange(0, 3)->ArgName("format")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Read)->DenseRange(0, 3)->ArgName("format")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseOnlyBinary)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace xuncha

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::filesystem::remove_all(xuncha::BenchDir());
  return 0;
}
