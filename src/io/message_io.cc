// MessageReader and MessageWriter: any message type, JSON Lines or binary.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "io/message_codec.h"
#include "io/record_stream.h"
#include "xuncha/finding_io.h"

namespace xuncha {

using io_internal::ByteSource;
using io_internal::RecordStream;

namespace {

StatusOr<RecordFormat> ResolveFormat(RecordFormat format, std::string_view path) {
  if (format != RecordFormat::kAuto) return format;
  return FormatFromPath(path);
}

}  // namespace

class MessageReader::Impl {
 public:
  Impl(std::string name, std::unique_ptr<ByteSource> src, const ReadOptions& options,
       RecordFormat format)
      : stream_(std::move(name), std::move(src), options, format) {}

  bool Next(google::protobuf::Message* message) {
    while (stream_.Next()) {
      std::string field, error;
      bool ok = stream_.format() == RecordFormat::kBinary
                    ? io_internal::ParseBinaryRecord(
                          std::string_view(stream_.raw()).substr(PrefixLength()), message,
                          &field, &error)
                    : io_internal::ParseJsonRecord(stream_.text(),
                                                   stream_.options().ignore_unknown_json_fields,
                                                   message, &field, &error);
      if (ok && validator_) error = validator_(*message, &field);
      if (!error.empty()) {
        stream_.Reject(std::move(field), std::move(error));
        continue;
      }
      stream_.Accept();
      return true;
    }
    return false;
  }

  size_t PrefixLength() const {
    const std::string& raw = stream_.raw();
    size_t i = 0;
    while (i < raw.size() && (static_cast<uint8_t>(raw[i]) & 0x80) != 0) ++i;
    return i + 1;
  }

  RecordStream stream_;
  Validator validator_;
};

MessageReader::MessageReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MessageReader::~MessageReader() = default;

StatusOr<std::unique_ptr<MessageReader>> MessageReader::Open(std::string_view path,
                                                             const ReadOptions& options) {
  XUNCHA_ASSIGN_OR_RETURN(RecordFormat format, ResolveFormat(options.format, path));
  if (format == RecordFormat::kCsv) {
    return InvalidArgumentError("CSV holds findings only; read it with FindingReader");
  }
  XUNCHA_ASSIGN_OR_RETURN(auto src, ByteSource::Open(std::string(path)));
  return std::unique_ptr<MessageReader>(new MessageReader(
      std::make_unique<Impl>(std::string(path), std::move(src), options, format)));
}

StatusOr<std::unique_ptr<MessageReader>> MessageReader::FromBytes(std::string_view name,
                                                                  std::string data,
                                                                  const ReadOptions& options) {
  XUNCHA_ASSIGN_OR_RETURN(RecordFormat format, ResolveFormat(options.format, name));
  if (format == RecordFormat::kCsv) {
    return InvalidArgumentError("CSV holds findings only; read it with FindingReader");
  }
  return std::unique_ptr<MessageReader>(new MessageReader(std::make_unique<Impl>(
      std::string(name), ByteSource::FromString(std::move(data)), options, format)));
}

bool MessageReader::Next(google::protobuf::Message* message) { return impl_->Next(message); }
void MessageReader::set_validator(Validator v) { impl_->validator_ = std::move(v); }
const Status& MessageReader::status() const { return impl_->stream_.status(); }
const ReadCounts& MessageReader::counts() const { return impl_->stream_.counts(); }
int64_t MessageReader::bytes_read() const { return impl_->stream_.source().offset(); }
int64_t MessageReader::input_size() const { return impl_->stream_.source().size(); }
RecordFormat MessageReader::format() const { return impl_->stream_.format(); }

// --- MessageWriter --------------------------------------------------------------

class MessageWriter::Impl {
 public:
  Impl(std::unique_ptr<AtomicFile> file, RecordFormat format)
      : file_(std::move(file)), format_(format) {}

  Status Write(const google::protobuf::Message& message) {
    buffer_.clear();
    if (format_ == RecordFormat::kBinary) {
      io_internal::AppendDelimited(message, &buffer_);
    } else {
      XUNCHA_RETURN_IF_ERROR(io_internal::AppendJsonLine(message, &buffer_));
    }
    ++count_;
    return file_->Append(buffer_);
  }

  std::unique_ptr<AtomicFile> file_;
  RecordFormat format_;
  std::string buffer_;
  int64_t count_ = 0;
};

MessageWriter::MessageWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MessageWriter::~MessageWriter() = default;

StatusOr<std::unique_ptr<MessageWriter>> MessageWriter::Open(std::string_view path,
                                                             const WriteOptions& options) {
  XUNCHA_ASSIGN_OR_RETURN(RecordFormat format, ResolveFormat(options.format, path));
  if (format == RecordFormat::kCsv) {
    return InvalidArgumentError("CSV holds findings only; write it with FindingWriter");
  }
  XUNCHA_ASSIGN_OR_RETURN(auto file, AtomicFile::Create(path));
  return std::unique_ptr<MessageWriter>(
      new MessageWriter(std::make_unique<Impl>(std::move(file), format)));
}

Status MessageWriter::Write(const google::protobuf::Message& message) {
  return impl_->Write(message);
}
Status MessageWriter::Commit() { return impl_->file_->Commit(); }
int64_t MessageWriter::count() const { return impl_->count_; }
int64_t MessageWriter::bytes_written() const { return impl_->file_->size(); }

}  // namespace xuncha
