// Internal: a file written beside its target and renamed into place, so a
// reader never sees half a file. Not public API.

#ifndef XUNCHA_OUTPUT_ATOMIC_FILE_H_
#define XUNCHA_OUTPUT_ATOMIC_FILE_H_

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "xuncha/status.h"

namespace xuncha::output_internal {

// Thread-compatible. Removes the temp file unless committed.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path) : path_(std::move(path)) {}
  ~AtomicFile() {
    if (fd_ >= 0) close(fd_);
    if (!tmp_.empty() && !committed_) unlink(tmp_.c_str());
  }
  // Creates the temp file beside the target.
  Status Create() {
    size_t slash = path_.rfind('/');
    std::string dir = slash == std::string::npos ? "." : path_.substr(0, slash);
    std::string base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
    dir_ = dir;
    std::string templ = dir + "/." + base + ".tmpXXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    fd_ = mkstemp(buf.data());
    if (fd_ < 0) return ErrnoError("create temp file for " + path_, errno);
    tmp_ = buf.data();
    return Status::OK();
  }
  const std::string& tmp() const { return tmp_; }
  Status Write(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoError("write " + tmp_, errno);
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::OK();
  }
  // Closes our descriptor (for writers that reopen the file by name).
  void CloseFd() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  Status Commit() {
    if (fd_ < 0) {
      fd_ = open(tmp_.c_str(), O_RDONLY);
      if (fd_ < 0) return ErrnoError("reopen " + tmp_, errno);
    }
    if (fchmod(fd_, 0644) != 0) return ErrnoError("chmod " + tmp_, errno);
    if (fsync(fd_) != 0) return ErrnoError("fsync " + tmp_, errno);
    close(fd_);
    fd_ = -1;
    if (rename(tmp_.c_str(), path_.c_str()) != 0) return ErrnoError("rename to " + path_, errno);
    committed_ = true;
    int dfd = open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
    return Status::OK();
  }

 private:
  std::string path_;
  std::string dir_;
  std::string tmp_;
  int fd_ = -1;
  bool committed_ = false;
};

// Writes `contents` to `path` atomically.
inline Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  AtomicFile f(path);
  XUNCHA_RETURN_IF_ERROR(f.Create());
  XUNCHA_RETURN_IF_ERROR(f.Write(contents));
  return f.Commit();
}

}  // namespace xuncha::output_internal

#endif  // XUNCHA_OUTPUT_ATOMIC_FILE_H_
