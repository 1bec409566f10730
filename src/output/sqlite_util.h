// Internal: a thin RAII layer over SQLite for the ledger. Not public API;
// see include/xuncha/ledger.h.

#ifndef XUNCHA_OUTPUT_SQLITE_UTIL_H_
#define XUNCHA_OUTPUT_SQLITE_UTIL_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "xuncha/status.h"

namespace xuncha::ledger_internal {

inline Status SqlError(sqlite3* db, std::string_view what) {
  std::string m = "sqlite: " + std::string(what) + ": " + sqlite3_errmsg(db);
  int code = sqlite3_errcode(db);
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) return UnavailableError(m);
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) return DataLossError(m);
  return InternalError(m);
}

// Runs SQL text without results (DDL, BEGIN/COMMIT, pragmas).
inline Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err != nullptr ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    return InternalError(std::string("sqlite: ") + m + " [" + sql + "]");
  }
  return Status::OK();
}

// A prepared statement; reset (not re-prepared) between uses.
// Thread-compatible.
class Stmt {
 public:
  Stmt() = default;
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Status Prepare(sqlite3* db, const char* sql) {
    db_ = db;
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      return SqlError(db, std::string("prepare ") + sql);
    }
    return Status::OK();
  }
  // Resets and clears bindings.
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  // Text, never NULL: an empty view binds ''.
  void Bind(int i, std::string_view s) {
    sqlite3_bind_text(stmt_, i, s.data() != nullptr ? s.data() : "", static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void BindBlob(int i, std::string_view s) {
    sqlite3_bind_blob(stmt_, i, s.data() != nullptr ? s.data() : "", static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  // Steps to completion; OK on SQLITE_DONE.
  Status Run(std::string_view what) {
    int rc = Step();
    Status s = rc == SQLITE_DONE ? Status::OK() : SqlError(db_, what);
    Reset();
    return s;
  }
  std::string Text(int col) const {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    int n = sqlite3_column_bytes(stmt_, col);
    return p != nullptr ? std::string(reinterpret_cast<const char*>(p), n) : std::string();
  }
  std::string_view Blob(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    int n = sqlite3_column_bytes(stmt_, col);
    return p != nullptr ? std::string_view(static_cast<const char*>(p), n) : std::string_view();
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  sqlite3_stmt* get() { return stmt_; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// The schema steps. Step k takes a database at user_version k-1 to k, in
// one transaction. Exposed for the migration test, which builds a version 1
// file and reopens it.
Status MigrateTo(sqlite3* db, int target_version);
int UserVersion(sqlite3* db);

}  // namespace xuncha::ledger_internal

#endif  // XUNCHA_OUTPUT_SQLITE_UTIL_H_
