// AtomicFile and RejectsWriter (public API in include/xuncha/finding_io.h).
//
// Design note. A reader of the target must see the old file or the whole
// new one, even if we are killed (SIGKILL, power loss) at any instant. So:
// write a temporary in the same directory (rename is atomic only within a
// file system), fsync it (else the rename may reach the disk before the
// data, and a crash leaves an empty target), rename over the target, fsync
// the directory (so the rename itself is durable). The temporary is made
// with O_EXCL and a random suffix (mkstemp), so two writers never share one.

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "xuncha/finding_io.h"

namespace xuncha {

namespace {

constexpr size_t kBufferSize = 1 << 16;

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Status WriteAll(int fd, std::string_view bytes, const std::string& what) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("write " + what, errno);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

}  // namespace

AtomicFile::AtomicFile(std::string path, std::string temp_path, int fd)
    : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(fd) {
  buffer_.reserve(kBufferSize);
}

StatusOr<std::unique_ptr<AtomicFile>> AtomicFile::Create(std::string_view path_view,
                                                         int mode) {
  std::string path(path_view);
  if (path.empty()) return InvalidArgumentError("empty output path");
  if (path == "-") {
    return std::unique_ptr<AtomicFile>(new AtomicFile(path, "", STDOUT_FILENO));
  }
  std::string dir = DirName(path);
  std::string temp = (dir == "." && path.find('/') == std::string::npos ? "" : dir + "/") +
                     "." + BaseName(path) + ".tmp-XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return ErrnoError("create temporary file for " + path, errno);
  // mkstemp makes 0600; give the file the mode an ordinary create would.
  mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, static_cast<mode_t>(mode) & ~mask) != 0) {
    int e = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    return ErrnoError("chmod " + temp, e);
  }
  return std::unique_ptr<AtomicFile>(new AtomicFile(path, temp, fd));
}

AtomicFile::~AtomicFile() {
  if (!committed_) Abandon();
}

void AtomicFile::Abandon() {
  if (temp_path_.empty()) {
    // stdout: what was flushed is out; drop the rest rather than add to a
    // partial output.
    buffer_.clear();
    fd_ = -1;
    failed_ = true;
    return;
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
    ::unlink(temp_path_.c_str());
  }
  failed_ = true;
}

Status AtomicFile::Flush() {
  if (buffer_.empty()) return Status::OK();
  Status s = WriteAll(fd_, buffer_, temp_path_.empty() ? "stdout" : temp_path_);
  buffer_.clear();
  if (!s.ok()) failed_ = true;
  return s;
}

Status AtomicFile::Append(std::string_view bytes) {
  if (committed_ || failed_ || fd_ < 0) {
    return FailedPreconditionError("append to " + path_ + " after commit or failure");
  }
  size_ += static_cast<int64_t>(bytes.size());
  if (buffer_.size() + bytes.size() > kBufferSize) {
    XUNCHA_RETURN_IF_ERROR(Flush());
    if (bytes.size() >= kBufferSize) {
      Status s = WriteAll(fd_, bytes, temp_path_.empty() ? "stdout" : temp_path_);
      if (!s.ok()) failed_ = true;
      return s;
    }
  }
  buffer_.append(bytes);
  return Status::OK();
}

Status AtomicFile::Commit() {
  if (committed_ || failed_ || fd_ < 0) {
    return FailedPreconditionError("commit of " + path_ + " after commit or failure");
  }
  Status s = Flush();
  if (!s.ok()) {
    Abandon();
    return s;
  }
  if (temp_path_.empty()) {
    committed_ = true;
    return Status::OK();
  }
  if (::fsync(fd_) != 0) {
    int e = errno;
    Abandon();
    return ErrnoError("fsync " + temp_path_, e);
  }
  if (::close(fd_) != 0) {
    int e = errno;
    fd_ = -1;
    ::unlink(temp_path_.c_str());
    failed_ = true;
    return ErrnoError("close " + temp_path_, e);
  }
  fd_ = -1;
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    int e = errno;
    ::unlink(temp_path_.c_str());
    failed_ = true;
    return ErrnoError("rename " + temp_path_ + " to " + path_, e);
  }
  committed_ = true;
  // Make the rename durable. Failure here does not undo the rename.
  int dfd = ::open(DirName(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    int rc = ::fsync(dfd);
    int e = errno;
    ::close(dfd);
    if (rc != 0 && e != EINVAL) return ErrnoError("fsync directory of " + path_, e);
  }
  return Status::OK();
}

// --- RejectsWriter ----------------------------------------------------------

RejectsWriter::RejectsWriter(std::unique_ptr<AtomicFile> file) : file_(std::move(file)) {}

StatusOr<std::unique_ptr<RejectsWriter>> RejectsWriter::Open(std::string_view path) {
  XUNCHA_ASSIGN_OR_RETURN(auto file, AtomicFile::Create(path));
  return std::unique_ptr<RejectsWriter>(new RejectsWriter(std::move(file)));
}

Status RejectsWriter::Write(std::string_view raw, RecordFormat format,
                            std::string_view header, bool partial) {
  ++count_;
  if (format == RecordFormat::kCsv && !header.empty() && header != last_header_) {
    XUNCHA_RETURN_IF_ERROR(file_->Append(header));
    if (header.back() != '\n') XUNCHA_RETURN_IF_ERROR(file_->Append("\r\n"));
    last_header_ = std::string(header);
  }
  XUNCHA_RETURN_IF_ERROR(file_->Append(raw));
  if (partial) return Status::OK();
  return EndRecord(format, !raw.empty() && raw.back() == '\n');
}

Status RejectsWriter::Continue(std::string_view more) { return file_->Append(more); }

Status RejectsWriter::EndRecord(RecordFormat format, bool had_newline) {
  if (format == RecordFormat::kBinary || had_newline) return Status::OK();
  return file_->Append(format == RecordFormat::kCsv ? "\r\n" : "\n");
}

Status RejectsWriter::Commit() { return file_->Commit(); }

}  // namespace xuncha
