// Internal to src/io; the public API is include/xuncha/finding_io.h.
//
// One message to and from its JSON line or its binary frame.
//
// Design note: protobuf's MessageToJsonString serializes non-deterministically
// (map order follows a per-process hash seed), so output goes through a
// deterministic binary serialization and BinaryToJsonString with a cached
// TypeResolver: same input, byte-identical output.

#ifndef XUNCHA_IO_MESSAGE_CODEC_H_
#define XUNCHA_IO_MESSAGE_CODEC_H_

#include <google/protobuf/message.h>

#include <string>
#include <string_view>

#include "xuncha/status.h"

namespace xuncha::io_internal {

// Parses one JSON line (terminator removed). On failure returns false with
// *field (possibly empty) and *message set.
bool ParseJsonRecord(std::string_view text, bool ignore_unknown_fields,
                     google::protobuf::Message* message, std::string* field, std::string* error);
// Parses a binary message (without its length prefix).
bool ParseBinaryRecord(std::string_view bytes, google::protobuf::Message* message,
                       std::string* field, std::string* error);

// Appends the message as one JSON line with proto field names, and "\n".
Status AppendJsonLine(const google::protobuf::Message& message, std::string* out);
// Appends varint length + deterministic serialization.
void AppendDelimited(const google::protobuf::Message& message, std::string* out);
// Deterministic serialization.
std::string SerializeDeterministic(const google::protobuf::Message& message);

}  // namespace xuncha::io_internal

#endif  // XUNCHA_IO_MESSAGE_CODEC_H_
