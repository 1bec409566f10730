#include "io/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace xuncha::io_internal {

namespace {
constexpr size_t kBufferSize = 1 << 16;
}  // namespace

ByteSource::ByteSource(int fd, std::string path, int64_t size)
    : fd_(fd), path_(std::move(path)), size_(size) {}

ByteSource::~ByteSource() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

StatusOr<std::unique_ptr<ByteSource>> ByteSource::Open(const std::string& path) {
  int fd;
  bool owns = false;
  if (path == "-") {
    fd = STDIN_FILENO;
  } else {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoError("open " + path, errno);
    owns = true;
  }
  int64_t size = -1;
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) size = st.st_size;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (owns) ::close(fd);
    return InvalidArgumentError("open " + path + ": Is a directory");
  }
  std::unique_ptr<ByteSource> src(new ByteSource(fd, path, size));
  src->owns_fd_ = owns;
  src->buf_.resize(kBufferSize);
#ifdef POSIX_FADV_SEQUENTIAL
  if (owns) ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  return src;
}

std::unique_ptr<ByteSource> ByteSource::FromString(std::string data) {
  int64_t size = static_cast<int64_t>(data.size());
  std::unique_ptr<ByteSource> src(new ByteSource(-1, "", size));
  src->buf_ = std::move(data);
  src->end_ = src->buf_.size();
  src->eof_ = true;
  return src;
}

bool ByteSource::Fill() {
  if (eof_ || fd_ < 0) {
    eof_ = true;
    return false;
  }
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);  // callers bound this
  for (;;) {
    ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
    if (n < 0) {
      if (errno == EINTR) continue;
      status_ = ErrnoError("read " + path_, errno);
      eof_ = true;
      return false;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    end_ += static_cast<size_t>(n);
    return true;
  }
}

void ByteSource::Consume(size_t n) {
  begin_ += n;
  offset_ += static_cast<int64_t>(n);
}

std::string_view ByteSource::PeekUpTo(size_t n) {
  while (end_ - begin_ < n && Fill()) {
  }
  std::string_view b = Buffered();
  return b.substr(0, std::min(n, b.size()));
}

bool ByteSource::ReadLine(size_t max, std::string* line, int64_t* total,
                          const Overflow& overflow) {
  line->clear();
  *total = 0;
  for (;;) {
    std::string_view b = Buffered();
    if (b.empty()) {
      if (!Fill()) return *total > 0;
      continue;
    }
    size_t nl = b.find('\n');
    size_t n = nl == std::string_view::npos ? b.size() : nl + 1;
    std::string_view piece = b.substr(0, n);
    size_t room = max > line->size() ? max - line->size() : 0;
    if (piece.size() <= room) {
      line->append(piece);
    } else {
      line->append(piece.substr(0, room));
      if (overflow) overflow(piece.substr(room));
    }
    *total += static_cast<int64_t>(n);
    Consume(n);
    if (nl != std::string_view::npos) return true;
  }
}

bool ByteSource::ReadVarint(uint64_t* value, std::string* prefix, std::string* error) {
  prefix->clear();
  std::string_view b = PeekUpTo(10);
  if (b.empty()) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    uint8_t c = static_cast<uint8_t>(b[i]);
    v |= uint64_t(c & 0x7F) << (7 * i);
    if ((c & 0x80) == 0) {
      prefix->assign(b.substr(0, i + 1));
      Consume(i + 1);
      *value = v;
      return true;
    }
  }
  prefix->assign(b);
  Consume(b.size());
  *error = b.size() < 10 ? "truncated length prefix at end of input"
                         : "malformed length prefix (more than 10 bytes)";
  return false;
}

size_t ByteSource::ReadExact(size_t n, std::string* out) {
  size_t got = 0;
  while (got < n) {
    std::string_view b = Buffered();
    if (b.empty()) {
      if (!Fill()) break;
      continue;
    }
    size_t take = std::min(b.size(), n - got);
    out->append(b.substr(0, take));
    Consume(take);
    got += take;
  }
  return got;
}

size_t ByteSource::Skip(uint64_t n, const Overflow& overflow) {
  uint64_t got = 0;
  while (got < n) {
    std::string_view b = Buffered();
    if (b.empty()) {
      if (!Fill()) break;
      continue;
    }
    size_t take = static_cast<size_t>(std::min<uint64_t>(b.size(), n - got));
    if (overflow) overflow(b.substr(0, take));
    Consume(take);
    got += take;
  }
  return static_cast<size_t>(got);
}

}  // namespace xuncha::io_internal
