// Shared by the engine tests: a batch's output as one deterministic string.

#ifndef XUNCHA_TESTS_MATCH_BATCH_TEST_UTIL_H_
#define XUNCHA_TESTS_MATCH_BATCH_TEST_UTIL_H_

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "xuncha/engine.h"

namespace xuncha::testing {

// Classifies `in` with ClassifyBatch on `threads` threads (chunks of 7) and
// returns every ClassifiedFinding, serialized deterministically and
// length-prefixed, in output order.
inline std::string SerializeAll(const std::shared_ptr<const Engine>& e, const std::vector<v1::Finding>& in,
                         int threads) {
  std::string out;
  size_t i = 0;
  BatchOptions opt;
  opt.threads = threads;
  opt.chunk_size = 7;
  BatchStats stats;
  Status s = ClassifyBatch(
      e, [&](v1::Finding* f) -> StatusOr<bool> {
        if (i >= in.size()) return false;
        *f = in[i++];
        return true;
      },
      [&](v1::Finding&& f, v1::Classification&& c) -> Status {
        v1::ClassifiedFinding cf;
        *cf.mutable_finding() = std::move(f);
        *cf.mutable_classification() = std::move(c);
        std::string wire;
        google::protobuf::io::StringOutputStream raw(&wire);
        google::protobuf::io::CodedOutputStream coded(&raw);
        coded.SetSerializationDeterministic(true);
        cf.SerializeToCodedStream(&coded);
        coded.Trim();
        out += std::to_string(wire.size()) + ":" + wire;
        return Status::OK();
      },
      opt, &stats);
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(stats.findings, in.size());
  return out;
}

}  // namespace xuncha::testing

#endif  // XUNCHA_TESTS_MATCH_BATCH_TEST_UTIL_H_
