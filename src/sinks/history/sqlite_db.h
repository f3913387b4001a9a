// A thin RAII layer over the SQLite C API: a connection, prepared statements, and SQLite's
// result codes mapped to Result errors (docs/architecture.md rule 5). Not thread-safe: one thread
// per SqliteDb (SQLite's default serialized mode would allow more, we do not rely on it).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace wgtrack {

// SQLITE_* -> ErrorCode: CANTOPEN/READONLY/PERM/AUTH -> kPermissionDenied (or kNotFound for a
// missing directory), BUSY/LOCKED/FULL/IOERR -> kTransient, CORRUPT/NOTADB -> kProtocol, the rest
// kPermanent. The message is "<what>: <sqlite's message>".
Error sqlite_error(int rc, std::string_view what, sqlite3* db = nullptr);

class SqliteStmt {
 public:
  SqliteStmt() = default;
  SqliteStmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStmt();
  SqliteStmt(SqliteStmt&& other) noexcept;
  SqliteStmt& operator=(SqliteStmt&& other) noexcept;

  // Bind by 1-based index; text is copied (SQLITE_TRANSIENT).
  SqliteStmt& bind(int i, std::int64_t v);
  SqliteStmt& bind(int i, std::string_view v);
  SqliteStmt& bind_null(int i);
  // One step: true when a row is available, false when done; an error otherwise.
  Result<bool> step();
  // Steps to the end (for statements without rows), then resets.
  Result<void> run();
  void reset();

  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string text(int col) const;
  explicit operator bool() const { return stmt_ != nullptr; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  enum class Mode { kReadWriteCreate, kReadOnly };
  static Result<SqliteDb> open(const std::string& path, Mode mode);

  SqliteDb() = default;
  ~SqliteDb();
  SqliteDb(SqliteDb&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  SqliteDb& operator=(SqliteDb&& other) noexcept;

  Result<void> exec(const char* sql);
  Result<SqliteStmt> prepare(std::string_view sql);
  // The first column of the first row of a query as an integer.
  Result<std::int64_t> query_int(const char* sql);
  sqlite3* handle() const { return db_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace wgtrack
