// Internal: the exports' view of xuncha::AtomicFile (include/xuncha/
// finding_io.h): a file written beside its target and renamed into place, so
// a reader never sees half a file. The one implementation lives in src/io;
// this adapter only adds the by-name use libxlsxwriter needs (it writes the
// temporary file itself through its path). Not public API.

#ifndef XUNCHA_OUTPUT_ATOMIC_FILE_H_
#define XUNCHA_OUTPUT_ATOMIC_FILE_H_

#include <memory>
#include <string>
#include <string_view>

#include "xuncha/finding_io.h"
#include "xuncha/status.h"

namespace xuncha::output_internal {

// Thread-compatible. Removes the temp file unless committed.
class OutputFile {
 public:
  explicit OutputFile(std::string path) : path_(std::move(path)) {}

  // Creates the temp file beside the target.
  Status Create() {
    auto f = xuncha::AtomicFile::Create(path_);
    if (!f.ok()) return f.status();
    file_ = std::move(*f);
    return Status::OK();
  }
  // The temporary file's path, for writers that open it by name (it is
  // truncated and rewritten in place, so the open descriptor stays valid).
  const std::string& tmp() const { return file_->temp_path(); }
  Status Write(std::string_view data) { return file_->Append(data); }
  // Kept for writers that write by name; the descriptor stays open until
  // Commit() fsyncs and renames.
  void CloseFd() {}
  Status Commit() { return file_->Commit(); }

 private:
  std::string path_;
  std::unique_ptr<xuncha::AtomicFile> file_;
};

// Writes `contents` to `path` atomically.
inline Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  OutputFile f(path);
  XUNCHA_RETURN_IF_ERROR(f.Create());
  XUNCHA_RETURN_IF_ERROR(f.Write(contents));
  return f.Commit();
}

}  // namespace xuncha::output_internal

#endif  // XUNCHA_OUTPUT_ATOMIC_FILE_H_
