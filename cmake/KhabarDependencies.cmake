# Every dependency is a Debian package; scripts/setup installs them.
find_package(PkgConfig REQUIRED)
find_package(ICU 70 REQUIRED COMPONENTS uc i18n)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)  # libpq: the store shared by several workers
find_package(ZLIB REQUIRED)  # .warc.gz members, gzip-encoded pages in web archives
find_package(EXPAT REQUIRED)  # RSS and Atom feeds
find_package(Threads REQUIRED)
find_package(CURL 7.85 REQUIRED)  # live intake: khabar watch, khabar ingest URL
find_package(nlohmann_json 3.10 REQUIRED)
find_package(simdjson 3.0 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(GTest REQUIRED)
if(KHABAR_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)
pkg_check_modules(HUNSPELL REQUIRED IMPORTED_TARGET hunspell)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

# CLD2 ships neither a CMake config nor a pkg-config file.
find_path(CLD2_INCLUDE_DIR cld2/public/compact_lang_det.h REQUIRED)
find_library(CLD2_LIBRARY cld2 REQUIRED)
add_library(khabar_cld2 INTERFACE)
target_include_directories(khabar_cld2 SYSTEM INTERFACE ${CLD2_INCLUDE_DIR})
target_link_libraries(khabar_cld2 INTERFACE ${CLD2_LIBRARY})

# Nor does libstemmer (Snowball).
find_path(STEMMER_INCLUDE_DIR libstemmer.h REQUIRED)
find_library(STEMMER_LIBRARY stemmer REQUIRED)
add_library(khabar_stemmer INTERFACE)
target_include_directories(khabar_stemmer SYSTEM INTERFACE ${STEMMER_INCLUDE_DIR})
target_link_libraries(khabar_stemmer INTERFACE ${STEMMER_LIBRARY})

# libnats (NATS JetStream, which carries articles to workers): Debian's CMake config names a
# static library the package does not ship, and there is no pkg-config file.
find_path(NATS_INCLUDE_DIR nats/nats.h REQUIRED)
find_library(NATS_LIBRARY nats REQUIRED)
add_library(khabar_nats INTERFACE)
target_include_directories(khabar_nats SYSTEM INTERFACE ${NATS_INCLUDE_DIR})
target_link_libraries(khabar_nats INTERFACE ${NATS_LIBRARY})
