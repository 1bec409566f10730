#include "io/message_codec.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver.h>
#include <google/protobuf/util/type_resolver_util.h>

#include <cctype>
#include <mutex>
#include <unordered_map>

#include "base/utf8.h"
#include "io/record_stream.h"

namespace xuncha::io_internal {

namespace {

namespace pb = google::protobuf;

constexpr char kTypeUrlPrefix[] = "type.googleapis.com";

// One resolver per descriptor pool, for the life of the process.
pb::util::TypeResolver* ResolverFor(const pb::DescriptorPool* pool) {
  static std::mutex mu;
  static auto* resolvers = new std::unordered_map<const pb::DescriptorPool*, pb::util::TypeResolver*>();
  std::lock_guard<std::mutex> lock(mu);
  auto& r = (*resolvers)[pool];
  if (r == nullptr) r = pb::util::NewTypeResolverForDescriptorPool(kTypeUrlPrefix, pool);
  return r;
}

// Protobuf's JSON errors look like "(unit.headcount): invalid value ..." or
// "Unexpected token.\n{...\n  ^". Keep the first line; lift a leading
// "(path)" out as the field.
void SplitJsonError(std::string_view status_message, std::string* field, std::string* error) {
  std::string_view m = status_message;
  if (size_t nl = m.find('\n'); nl != std::string_view::npos) m = m.substr(0, nl);
  while (!m.empty() && (m.back() == ' ' || m.back() == '.')) m.remove_suffix(1);
  // "(path): message", "path: message" or ": message".
  std::string_view path;
  if (!m.empty() && m.front() == '(') {
    if (size_t close = m.find("):"); close != std::string_view::npos) {
      path = m.substr(1, close - 1);
      m.remove_prefix(close + 2);
    }
  } else if (size_t colon = m.find(": "); colon != std::string_view::npos) {
    std::string_view head = m.substr(0, colon);
    bool is_path = true;
    for (char c : head) {
      if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '[' ||
            c == ']')) {
        is_path = false;
      }
    }
    if (is_path) {
      path = head;
      m.remove_prefix(colon + 2);
    }
  }
  while (!m.empty() && m.front() == ' ') m.remove_prefix(1);
  *field = std::string(path);
  *error = m.empty() ? "not valid JSON" : std::string(m);
}

}  // namespace

bool ParseJsonRecord(std::string_view text, bool ignore_unknown_fields, pb::Message* message,
                     std::string* field, std::string* error) {
  message->Clear();
  size_t bad = utf8::FindInvalid(text);
  if (bad != std::string_view::npos) {
    *error = "invalid UTF-8 at byte " + std::to_string(bad) + " of the record";
    return false;
  }
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = ignore_unknown_fields;
  auto status = pb::util::JsonStringToMessage(pb::StringPiece(text.data(), text.size()), message,
                                              options);
  if (!status.ok()) {
    SplitJsonError(status.message().as_string(), field, error);
    return false;
  }
  return true;
}

bool ParseBinaryRecord(std::string_view bytes, pb::Message* message, std::string* field,
                       std::string* error) {
  message->Clear();
  bool parsed;
  {
    // Protobuf logs to stderr when a string is not UTF-8 (and says nothing
    // about where); hush it, and find the place ourselves on failure.
    pb::LogSilencer quiet;
    parsed = message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  }
  if (parsed) return true;
  if (CheckWire(message->GetDescriptor(), bytes, field, error)) {
    *error = "not a valid " + message->GetDescriptor()->full_name() + " message";
  }
  return false;
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

Status AppendJsonLine(const pb::Message& message, std::string* out) {
  const pb::Descriptor* d = message.GetDescriptor();
  std::string binary = SerializeDeterministic(message);
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status = pb::util::BinaryToJsonString(ResolverFor(d->file()->pool()),
                                             std::string(kTypeUrlPrefix) + "/" + d->full_name(),
                                             binary, &json, options);
  if (!status.ok()) {
    return InternalError("cannot print " + d->full_name() + " as JSON: " +
                         status.message().as_string());
  }
  out->append(json);
  out->push_back('\n');
  return Status::OK();
}

void AppendDelimited(const pb::Message& message, std::string* out) {
  std::string bytes = SerializeDeterministic(message);
  uint8_t prefix[10];
  uint8_t* end = pb::io::CodedOutputStream::WriteVarint64ToArray(bytes.size(), prefix);
  out->append(reinterpret_cast<char*>(prefix), static_cast<size_t>(end - prefix));
  out->append(bytes);
}

}  // namespace xuncha::io_internal
