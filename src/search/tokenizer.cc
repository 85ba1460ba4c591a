#include "search/tokenizer.h"

#include <memory>
#include <new>
#include <string_view>

#include "search/analysis.h"
#include "search/query.h"

namespace khabar::search_internal {
namespace {

using TokenCallback = int (*)(void*, int, const char*, int, int, int);

SearchAnalysis* analysis_of(Fts5Tokenizer* tokenizer) {
  return reinterpret_cast<SearchAnalysis*>(tokenizer);
}

int create(void* /*context*/, const char** /*argv*/, int /*argc*/, Fts5Tokenizer** out) {
  auto* analysis = new (std::nothrow) SearchAnalysis();
  if (analysis == nullptr) return SQLITE_NOMEM;
  *out = reinterpret_cast<Fts5Tokenizer*>(analysis);
  return SQLITE_OK;
}

void destroy(Fts5Tokenizer* tokenizer) {
  delete analysis_of(tokenizer);
}

// A query reaches the tokenizer as search_expression wrote it: quoted terms and skeletons,
// already analysed; in a phrase, positions separated by spaces, and at a position the term and
// its skeleton separated by kAlternativeSeparator, given to FTS5 as colocated tokens, either of
// which matches.
int query_tokens(std::string_view text, void* context, TokenCallback emit) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ')
      ++i;
    int flags = 0;
    while (i < text.size() && text[i] != ' ') {
      size_t end = i;
      while (end < text.size() && text[end] != ' ' && text[end] != kAlternativeSeparator)
        ++end;
      if (end > i) {
        const int rc = emit(context, flags, text.data() + i, static_cast<int>(end - i),
                            static_cast<int>(i), static_cast<int>(end));
        if (rc != SQLITE_OK) return rc;
        flags = FTS5_TOKEN_COLOCATED;
      }
      i = end < text.size() && text[end] == kAlternativeSeparator ? end + 1 : end;
    }
  }
  return SQLITE_OK;
}

int tokenize(Fts5Tokenizer* tokenizer, void* context, int flags, const char* text, int length,
             TokenCallback emit) {
  const std::string_view input(text, static_cast<size_t>(length));
  if ((flags & FTS5_TOKENIZE_QUERY) != 0) return query_tokens(input, context, emit);
  // No exception may cross into SQLite's C frames.
  try {
    int rc = SQLITE_OK;
    analysis_of(tokenizer)->each_term(input, [&](const SearchTerm& t) {
      if (rc != SQLITE_OK) return;
      const auto begin = static_cast<int>(t.begin), end = static_cast<int>(t.end);
      rc = emit(context, 0, t.term.data(), static_cast<int>(t.term.size()), begin, end);
      if (rc == SQLITE_OK && !t.skeleton.empty()) {
        rc = emit(context, FTS5_TOKEN_COLOCATED, t.skeleton.data(),
                  static_cast<int>(t.skeleton.size()), begin, end);
      }
    });
    return rc;
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (...) {
    return SQLITE_ERROR;
  }
}

fts5_api* fts5_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) return nullptr;
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  return api;
}

}  // namespace

Status register_tokenizer(sqlite3* db) {
  fts5_api* api = fts5_of(db);
  if (api == nullptr) {
    return make_error(ErrorCode::kStorage,
                      "this SQLite library has no FTS5, which khabar's search index needs");
  }
  fts5_tokenizer tokenizer{&create, &destroy, &tokenize};
  if (api->xCreateTokenizer(api, "khabar", nullptr, &tokenizer, nullptr) != SQLITE_OK) {
    return make_error(ErrorCode::kStorage,
                      std::string("registering the search tokenizer: ") + sqlite3_errmsg(db));
  }
  return {};
}

}  // namespace khabar::search_internal
