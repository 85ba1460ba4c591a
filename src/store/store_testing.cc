#include "store/store_testing.h"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace khabar::store_testing {
namespace {

const char* postgres_server() {
  const char* uri = std::getenv("KHABAR_TEST_POSTGRES");
  return uri != nullptr && *uri != '\0' ? uri : nullptr;
}

// Runs one command on the test server; a test cannot go on without it, so failure throws.
void run_on_server(const std::string& sql) {
  PGconn* conn = PQconnectdb(postgres_server());
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("KHABAR_TEST_POSTGRES: cannot connect: " + message);
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PGresult* result = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  const std::string message = PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
  if (!ok) throw std::runtime_error(fmt::format("KHABAR_TEST_POSTGRES: {}: {}", sql, message));
}

}  // namespace

bool TestStoreLocation::on_postgres() {
  return postgres_server() != nullptr;
}

TestStoreLocation::TestStoreLocation(const std::filesystem::path& dir, std::string_view name) {
  if (!on_postgres()) {
    location_ = (dir / name).string();
    return;
  }
  static std::atomic<int> made{0};
  schema_ = fmt::format("test_{}_{}_", ::getpid(), made++);
  for (const char c : name)
    schema_ += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
  run_on_server(fmt::format("DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0}", schema_));
  const std::string server = postgres_server();
  location_ = fmt::format("{}{}options=-csearch_path%3D{}", server,
                          server.find('?') == std::string::npos ? '?' : '&', schema_);
}

TestStoreLocation::~TestStoreLocation() {
  if (schema_.empty()) return;
  try {
    run_on_server(fmt::format("DROP SCHEMA IF EXISTS {} CASCADE", schema_));
  } catch (const std::exception&) {  // a schema left behind costs a little disk, not a result
  }
}

}  // namespace khabar::store_testing
