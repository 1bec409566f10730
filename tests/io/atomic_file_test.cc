// AtomicFile: a reader of the target sees the old file or the complete new
// one, never a partial write, even when the writer is killed mid-write.

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "io/io_test_util.h"
#include "xuncha/finding_io.h"

namespace xuncha {
namespace {

using testing::ReadFileOrDie;
using testing::TempDir;
using testing::WriteFileOrDie;

constexpr size_t kChunk = 1 << 16;
constexpr int kChunks = 256;  // 16 MiB in all

// What a complete new file holds: kChunks chunks of one letter each.
std::string Chunk(int i) { return std::string(kChunk, static_cast<char>('a' + i % 26)); }

bool IsCompleteNewFile(const std::string& data) {
  if (data.size() != kChunk * kChunks) return false;
  for (int i = 0; i < kChunks; ++i) {
    if (data.compare(static_cast<size_t>(i) * kChunk, kChunk, Chunk(i)) != 0) return false;
  }
  return true;
}

// Child: writes slowly through AtomicFile, announcing progress on a pipe.
[[noreturn]] void SlowWriter(const std::string& path, int progress_fd, bool commit) {
  auto file = AtomicFile::Create(path);
  if (!file.ok()) _exit(3);
  for (int i = 0; i < kChunks; ++i) {
    if (!(*file)->Append(Chunk(i)).ok()) _exit(4);
    if (i == kChunks / 2) {
      char c = 'h';
      if (::write(progress_fd, &c, 1) != 1) _exit(5);
      if (!commit) ::usleep(5 * 1000 * 1000);  // be killed here
    }
  }
  if (commit && !(*file)->Commit().ok()) _exit(6);
  _exit(0);
}

int DirEntries(const std::string& dir) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    (void)e;
    ++n;
  }
  return n;
}

void KillMidWrite(const std::string& target) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    SlowWriter(target, fds[1], /*commit=*/false);
  }
  ::close(fds[1]);
  char c;
  ASSERT_EQ(::read(fds[0], &c, 1), 1);  // half written, temp file on disk
  ::close(fds[0]);
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
}

TEST(AtomicFileTest, KilledWriterLeavesOldTarget) {
  TempDir dir;
  std::string target = dir.File("out.jsonl");
  WriteFileOrDie(target, "old contents\n");
  KillMidWrite(target);
  EXPECT_EQ(ReadFileOrDie(target), "old contents\n");
}

TEST(AtomicFileTest, KilledWriterLeavesNoTarget) {
  TempDir dir;
  std::string target = dir.File("out.jsonl");
  KillMidWrite(target);
  EXPECT_FALSE(std::filesystem::exists(target));
  // The only thing left is the killed writer's temporary (a crash cannot
  // clean up after itself), named so that it is clearly not the target.
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(e.path().filename().string().rfind(".out.jsonl.tmp-", 0), 0u) << e.path();
  }
}

TEST(AtomicFileTest, CommittedWriteIsComplete) {
  TempDir dir;
  std::string target = dir.File("out.jsonl");
  WriteFileOrDie(target, "old contents\n");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    SlowWriter(target, fds[1], /*commit=*/true);
  }
  ::close(fds[1]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ::close(fds[0]);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  EXPECT_TRUE(IsCompleteNewFile(ReadFileOrDie(target)));
  EXPECT_EQ(DirEntries(dir.path()), 1);  // no temporary left
}

TEST(AtomicFileTest, DestroyedWithoutCommitRemovesTemporary) {
  TempDir dir;
  std::string target = dir.File("report.csv");
  {
    auto file = AtomicFile::Create(target);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Append("partial").ok());
    EXPECT_TRUE(std::filesystem::exists((*file)->temp_path()));
  }
  EXPECT_EQ(DirEntries(dir.path()), 0);
}

TEST(AtomicFileTest, CommitTwiceFailsAndModeIsOrdinary) {
  TempDir dir;
  std::string target = dir.File("x.pb");
  auto file = AtomicFile::Create(target);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Append(std::string(200000, 'x')).ok());
  ASSERT_TRUE((*file)->Commit().ok());
  EXPECT_FALSE((*file)->Commit().ok());
  EXPECT_FALSE((*file)->Append("more").ok());
  EXPECT_EQ(std::filesystem::file_size(target), 200000u);
  mode_t mask = ::umask(0);
  ::umask(mask);
  auto perms = std::filesystem::status(target).permissions();
  // mkstemp makes 0600; the file must get what an ordinary create gives.
  EXPECT_EQ(static_cast<unsigned>(perms), 0644u & ~static_cast<unsigned>(mask));
}

TEST(AtomicFileTest, MissingDirectoryIsAStatus) {
  auto file = AtomicFile::Create("/nonexistent-dir-xuncha/x.jsonl");
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.status().message().find("No such file or directory"), std::string::npos)
      << file.status();
}

}  // namespace
}  // namespace xuncha
