// Where a test's store lives. By default a SQLite file in the test's directory; with
// KHABAR_TEST_POSTGRES set to a server's URI (scripts/postgres start), a fresh schema on that
// server, dropped when the location goes. So every test that stores runs on either backend
// unchanged: `ctest` for SQLite, `KHABAR_TEST_POSTGRES=... ctest -L store` for PostgreSQL.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace khabar::store_testing {

class TestStoreLocation {
 public:
  // `name` tells stores of one test apart ("k.db", "other.db").
  TestStoreLocation(const std::filesystem::path& dir, std::string_view name);
  ~TestStoreLocation();
  TestStoreLocation(const TestStoreLocation&) = delete;
  TestStoreLocation& operator=(const TestStoreLocation&) = delete;

  // For Store::open and the CLI's --db.
  const std::string& location() const { return location_; }

  // True when tests run on PostgreSQL: a test of SQLite's file format skips itself then.
  static bool on_postgres();

 private:
  std::string location_;
  std::string schema_;  // PostgreSQL only
};

}  // namespace khabar::store_testing
