// Batch classification on N threads, output in input order, and the
// hot-reload handle.
//
// Design note. The calling thread reads findings in chunks, hands them to
// workers through a bounded queue and emits finished chunks strictly in
// sequence; at most 2·N+1 chunks are in flight, so memory stays flat in the
// number of findings. Each worker owns a Matcher; the only lock is taken
// once per chunk (hundreds of findings), never per finding, so nothing on the
// hot path is shared.

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "xuncha/engine.h"

namespace xuncha {

namespace {

// A work item. Chunks are recycled, so their protobuf messages keep their
// allocated memory from one use to the next (Clear() keeps it), and the hot
// loop allocates almost nothing; `size` findings of the vectors are live.
struct Chunk {
  uint64_t seq = 0;
  size_t size = 0;
  std::vector<v1::Finding> findings;
  std::vector<v1::Classification> results;
  std::vector<Status> statuses;
};

void ClassifyChunk(Matcher& m, Chunk& c) {
  if (c.results.size() < c.size) c.results.resize(c.size);
  if (c.statuses.size() < c.size) c.statuses.resize(c.size);
  for (size_t i = 0; i < c.size; ++i) {
    c.statuses[i] = m.Classify(c.findings[i], &c.results[i]);
  }
}

void MergeProfile(const std::vector<RuleProfile>& from, std::vector<RuleProfile>* into) {
  if (into->empty()) {
    *into = from;
    return;
  }
  for (size_t i = 0; i < from.size() && i < into->size(); ++i) {
    (*into)[i].evaluations += from[i].evaluations;
    (*into)[i].hits += from[i].hits;
    (*into)[i].errors += from[i].errors;
    (*into)[i].nanos += from[i].nanos;
  }
}

}  // namespace

Status ClassifyBatch(std::shared_ptr<const Engine> engine, const FindingSource& next,
                     const ClassificationSink& emit, const BatchOptions& options,
                     BatchStats* stats) {
  if (engine == nullptr) return InvalidArgumentError("ClassifyBatch: no engine");
  BatchStats local;
  BatchStats& st = stats != nullptr ? *stats : local;
  st = BatchStats{};
  int threads = options.threads > 0 ? options.threads
                                    : std::max(1u, std::thread::hardware_concurrency());
  const size_t chunk_size = std::max<size_t>(1, options.chunk_size);

  auto account = [&](v1::Finding&& f, v1::Classification&& c, const Status& s) -> Status {
    ++st.findings;
    st.rule_errors += c.errors_size();
    if (!s.ok()) {
      ++st.failed;
      c.set_classified(false);
    } else if (c.classified()) {
      ++st.classified;
    } else {
      ++st.unclassified;
    }
    return emit(std::move(f), std::move(c));
  };

  auto read_chunk = [&](Chunk* c, Status* err) -> bool {
    c->size = 0;
    if (c->findings.size() < chunk_size) c->findings.resize(chunk_size);
    while (c->size < chunk_size) {
      v1::Finding* f = &c->findings[c->size];
      f->Clear();
      StatusOr<bool> more = next(f);
      if (!more.ok()) {
        *err = more.status();
        break;
      }
      if (!*more) break;
      ++c->size;
    }
    return c->size > 0;
  };


  if (threads == 1) {
    Matcher m(engine, options.classify);
    Status err;
    Chunk c;
    while (err.ok() && read_chunk(&c, &err)) {
      ClassifyChunk(m, c);
      for (size_t i = 0; i < c.size; ++i) {
        Status s = account(std::move(c.findings[i]), std::move(c.results[i]), c.statuses[i]);
        if (!s.ok()) return s;
      }
    }
    MergeProfile(m.profile(), &st.profile);
    std::sort(st.profile.begin(), st.profile.end(),
              [](const RuleProfile& a, const RuleProfile& b) { return a.nanos > b.nanos; });
    return err;
  }

  std::mutex mu;
  std::condition_variable work_cv, done_cv;
  std::deque<std::unique_ptr<Chunk>> work;
  std::map<uint64_t, std::unique_ptr<Chunk>> done;
  bool closing = false;
  std::vector<std::vector<RuleProfile>> profiles(threads);

  // threads - 1 workers; the calling thread reads, emits, and classifies
  // when it would otherwise wait.
  Matcher own(engine, options.classify);
  std::vector<std::thread> workers;
  workers.reserve(threads - 1);
  for (int t = 1; t < threads; ++t) {
    workers.emplace_back([&, t] {
      Matcher m(engine, options.classify);
      for (;;) {
        std::unique_ptr<Chunk> c;
        {
          std::unique_lock<std::mutex> lock(mu);
          work_cv.wait(lock, [&] { return !work.empty() || closing; });
          if (work.empty()) break;
          c = std::move(work.front());
          work.pop_front();
        }
        ClassifyChunk(m, *c);
        {
          std::lock_guard<std::mutex> lock(mu);
          uint64_t seq = c->seq;
          done.emplace(seq, std::move(c));
        }
        done_cv.notify_one();
      }
      profiles[t] = m.profile();
    });
  }

  const uint64_t max_in_flight = 2 * static_cast<uint64_t>(threads) + 1;
  std::vector<std::unique_ptr<Chunk>> free_chunks;  // owned by this thread
  uint64_t seq_in = 0, seq_out = 0;
  bool eof = false;
  bool emit_failed = false;
  Status err;
  while (!eof || seq_out < seq_in) {
    if (!eof && seq_in - seq_out < max_in_flight) {
      std::unique_ptr<Chunk> c;
      if (!free_chunks.empty()) {
        c = std::move(free_chunks.back());
        free_chunks.pop_back();
      } else {
        c = std::make_unique<Chunk>();
      }
      Status read_err;
      if (!read_chunk(c.get(), &read_err)) {
        eof = true;
        if (!read_err.ok()) err = read_err;
        continue;
      }
      if (!read_err.ok()) {  // keep what was read before the error
        err = read_err;
        eof = true;
      }
      c->seq = seq_in++;
      {
        std::lock_guard<std::mutex> lock(mu);
        work.push_back(std::move(c));
      }
      work_cv.notify_one();
      continue;
    }
    std::unique_ptr<Chunk> c;
    {
      std::unique_lock<std::mutex> lock(mu);
      // While the next chunk in order is not done, the calling thread works
      // too rather than wait (it is one of the `threads`).
      while (done.count(seq_out) == 0 && !work.empty()) {
        std::unique_ptr<Chunk> mine = std::move(work.front());
        work.pop_front();
        lock.unlock();
        ClassifyChunk(own, *mine);
        lock.lock();
        uint64_t seq = mine->seq;
        done.emplace(seq, std::move(mine));
      }
      done_cv.wait(lock, [&] { return done.count(seq_out) > 0; });
      auto it = done.find(seq_out);
      c = std::move(it->second);
      done.erase(it);
    }
    ++seq_out;
    if (emit_failed) continue;  // draining the chunks still in flight
    for (size_t i = 0; i < c->size; ++i) {
      Status s = account(std::move(c->findings[i]), std::move(c->results[i]), c->statuses[i]);
      if (!s.ok()) {
        err = s;
        emit_failed = true;
        eof = true;
        break;
      }
    }
    free_chunks.push_back(std::move(c));
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    closing = true;
  }
  work_cv.notify_all();
  for (auto& w : workers) w.join();
  profiles[0] = own.profile();
  for (const auto& p : profiles) MergeProfile(p, &st.profile);
  std::sort(st.profile.begin(), st.profile.end(),
            [](const RuleProfile& a, const RuleProfile& b) { return a.nanos > b.nanos; });
  return err;
}

EngineHandle::EngineHandle(std::shared_ptr<const Engine> initial) : engine_(std::move(initial)) {}

std::shared_ptr<const Engine> EngineHandle::Get() const {
  std::lock_guard<std::mutex> lock(mu_);
  return engine_;
}

void EngineHandle::Swap(std::shared_ptr<const Engine> engine) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    engine_ = std::move(engine);
  }
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

Status EngineHandle::Reload(const std::vector<std::string>& paths, const CompileOptions& options,
                            std::vector<Diagnostic>* diagnostics) {
  StatusOr<CompileResult> result = CompileRules(paths, options);
  if (!result.ok()) return result.status();
  if (diagnostics != nullptr) *diagnostics = result->diagnostics;
  if (result->engine == nullptr) {
    return FailedPreconditionError("new rules have errors; keeping rule set version " +
                                   Get()->version());
  }
  Swap(std::move(result->engine));
  return Status::OK();
}

}  // namespace xuncha
