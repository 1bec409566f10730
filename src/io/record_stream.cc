#include "io/record_stream.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include "base/utf8.h"
#include "io/csv.h"

namespace xuncha::io_internal {

namespace {

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

}  // namespace

RecordStream::RecordStream(std::string name, std::unique_ptr<ByteSource> source,
                           const ReadOptions& options, RecordFormat format)
    : name_(std::move(name)), source_(std::move(source)), options_(options), format_(format) {
  if (options_.max_record_bytes == 0) options_.max_record_bytes = 1;
  if (format_ == RecordFormat::kJsonLines) source_->Consume(BomLength(source_->PeekUpTo(3)));
}

std::string_view RecordStream::text() const {
  std::string_view t = raw_;
  if (!t.empty() && t.back() == '\n') t.remove_suffix(1);
  if (!t.empty() && t.back() == '\r') t.remove_suffix(1);
  return t;
}

void RecordStream::Reject(std::string field, std::string message) {
  ++counts_.rejected;
  RecordError e{name_, record_, format_ == RecordFormat::kBinary ? 0 : record_line_,
                std::move(field), std::move(message), raw_};
  if (options_.rejects != nullptr) {
    set_status(options_.rejects->Write(raw_, format_, csv_header_));
  }
  if (options_.on_error) options_.on_error(e);
}

ByteSource::Overflow RecordStream::OverflowSink(bool* started) {
  return [this, started](std::string_view more) {
    if (!more.empty()) last_overflow_byte_ = more.back();
    if (options_.rejects == nullptr) return;
    if (!*started) {
      *started = true;
      // raw_ holds exactly the first max_record_bytes bytes at this point.
      set_status(options_.rejects->Write(raw_, format_, csv_header_, /*partial=*/true));
    }
    set_status(options_.rejects->Continue(more));
  };
}

void RecordStream::RejectOversized(int64_t total) {
  ++counts_.rejected;
  std::string message = "record of " + std::to_string(total) + " bytes is over the limit of " +
                        std::to_string(options_.max_record_bytes) + " bytes";
  RecordError e{name_, record_, format_ == RecordFormat::kBinary ? 0 : record_line_, "",
                std::move(message), raw_};
  if (options_.on_error && !header_mode_) options_.on_error(e);
}

bool RecordStream::Next() {
  if (done_ || !status_.ok()) return false;
  bool ok;
  switch (format_) {
    case RecordFormat::kCsv: ok = NextCsv(); break;
    case RecordFormat::kBinary: ok = NextBinary(); break;
    default: ok = NextLine(); break;
  }
  if (!source_->status().ok()) {
    set_status(source_->status());
    ok = false;
  }
  if (!ok) done_ = true;
  return ok && status_.ok();
}

bool RecordStream::NextLine() {
  for (;;) {
    int64_t total = 0;
    bool started = false;
    const int64_t line_no = next_line_;
    if (!source_->ReadLine(options_.max_record_bytes, &raw_, &total, OverflowSink(&started))) {
      return false;
    }
    ++next_line_;
    bool oversized = static_cast<uint64_t>(total) > options_.max_record_bytes;
    if (!oversized && IsBlank(raw_)) continue;
    ++record_;
    ++counts_.read;
    record_line_ = line_no;
    if (oversized) {
      if (started && options_.rejects != nullptr) {
        set_status(options_.rejects->EndRecord(format_, last_overflow_byte_ == '\n'));
      }
      RejectOversized(total);
      continue;
    }
    return true;
  }
}

bool RecordStream::NextCsv() {
  const size_t max = options_.max_record_bytes;
  RejectsWriter* rejects = options_.rejects;
  for (;;) {
    const int64_t line_no = next_line_;
    CsvScanner scan;
    raw_.clear();
    int64_t total = 0;
    bool overflowed = false;  // raw_ holds the first `max` bytes; the rest was streamed
    bool read_any = false;
    std::string line;
    // A record is one line, or more while a quoted field holds newlines.
    for (;;) {
      bool line_taken = false;  // the sink already fed `line` on
      auto sink = [&](std::string_view extra) {
        if (!line_taken) {
          line_taken = true;
          scan.Feed(line);
          raw_ += line;
          if (!overflowed) {
            overflowed = true;
            if (rejects != nullptr) {
              set_status(rejects->Write(raw_, format_, csv_header_, /*partial=*/true));
            }
          }
        }
        scan.Feed(extra);
        if (rejects != nullptr) set_status(rejects->Continue(extra));
      };
      size_t room = overflowed ? 0 : max - raw_.size();
      int64_t line_total = 0;
      if (!source_->ReadLine(room, &line, &line_total, sink)) break;
      read_any = true;
      ++next_line_;
      total += line_total;
      if (!line_taken) {
        scan.Feed(line);
        raw_ += line;
      }
      if (!scan.inside_quotes()) break;
    }
    if (!read_any) return false;
    if (!overflowed && IsBlank(raw_)) continue;
    ++record_;
    ++counts_.read;
    record_line_ = line_no;
    if (overflowed) {
      if (rejects != nullptr) set_status(rejects->EndRecord(format_, scan.last() == '\n'));
      RejectOversized(total);
      if (header_mode_) return false;
      continue;
    }
    return true;
  }
}

bool RecordStream::NextBinary() {
  uint64_t size = 0;
  std::string prefix, error;
  record_line_ = 0;
  for (;;) {
    if (!source_->ReadVarint(&size, &prefix, &error)) {
      if (!error.empty()) {
        ++record_;
        ++counts_.read;
        raw_ = prefix;
        Reject("", error);
      }
      return false;
    }
    ++record_;
    ++counts_.read;
    raw_ = prefix;
    if (size > options_.max_record_bytes) {
      bool started = false;
      auto sink = OverflowSink(&started);
      sink("");  // writes the prefix
      size_t skipped = source_->Skip(size, sink);
      if (skipped < size) {
        Reject("", "truncated record: length prefix says " + std::to_string(size) +
                       " bytes, only " + std::to_string(skipped) + " left");
        return false;
      }
      RejectOversized(static_cast<int64_t>(size));
      continue;
    }
    size_t got = source_->ReadExact(static_cast<size_t>(size), &raw_);
    if (got < size) {
      // The framing is lost: nothing after this can be read.
      Reject("", "truncated record: length prefix says " + std::to_string(size) +
                     " bytes, only " + std::to_string(got) + " left");
      return false;
    }
    return true;
  }
}

// --- CheckWire ----------------------------------------------------------------

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;

bool CheckWireAt(const Descriptor* d, const uint8_t* data, int size, size_t base,
                 const std::string& prefix, int depth, std::string* field, std::string* message) {
  google::protobuf::io::CodedInputStream in(data, size);
  in.SetRecursionLimit(100);
  while (true) {
    int pos = in.CurrentPosition();
    uint32_t tag = in.ReadTag();
    if (tag == 0) {
      if (in.CurrentPosition() < size) {
        *message = "malformed protobuf: bad field tag at byte " + std::to_string(base + pos);
        return false;
      }
      return true;
    }
    int number = WireFormatLite::GetTagFieldNumber(tag);
    auto wire = WireFormatLite::GetTagWireType(tag);
    const FieldDescriptor* f = d == nullptr ? nullptr : d->FindFieldByNumber(number);
    std::string path = f == nullptr ? prefix + "#" + std::to_string(number)
                                    : prefix + std::string(f->name());
    if (f != nullptr && wire == WireFormatLite::WIRETYPE_LENGTH_DELIMITED &&
        (f->type() == FieldDescriptor::TYPE_STRING || f->type() == FieldDescriptor::TYPE_MESSAGE)) {
      uint32_t len;
      if (!in.ReadVarint32(&len) || len > static_cast<uint32_t>(size - in.CurrentPosition())) {
        *field = path;
        *message = "truncated protobuf: field runs past the end of the record";
        return false;
      }
      int start = in.CurrentPosition();
      const uint8_t* p = data + start;
      if (f->type() == FieldDescriptor::TYPE_STRING) {
        std::string_view s(reinterpret_cast<const char*>(p), len);
        size_t bad = utf8::FindInvalid(s);
        if (bad != std::string_view::npos) {
          *field = path;
          *message = "invalid UTF-8 at byte " + std::to_string(base + start + bad) +
                     " of the message";
          return false;
        }
      } else if (depth < 50) {
        if (!CheckWireAt(f->message_type(), p, static_cast<int>(len), base + start, path + ".",
                         depth + 1, field, message)) {
          return false;
        }
      }
      in.Skip(static_cast<int>(len));
      continue;
    }
    if (!WireFormatLite::SkipField(&in, tag)) {
      *field = path;
      *message = "truncated or malformed protobuf at byte " + std::to_string(base + pos);
      return false;
    }
  }
}

}  // namespace

bool CheckWire(const Descriptor* descriptor, std::string_view bytes, std::string* field,
               std::string* message) {
  return CheckWireAt(descriptor, reinterpret_cast<const uint8_t*>(bytes.data()),
                     static_cast<int>(bytes.size()), 0, "", 0, field, message);
}

}  // namespace xuncha::io_internal
