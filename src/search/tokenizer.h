// The "khabar" FTS5 tokenizer: search_internal::SearchAnalysis for documents (terms, skeletons
// colocated, offsets in the original text), the words as given for queries, which
// search_expression has analysed already.
#pragma once

#include <sqlite3.h>

#include "khabar/result.h"

namespace khabar::search_internal {

// Registers the tokenizer on one connection; needed before the index is created or written.
Status register_tokenizer(sqlite3* db);

}  // namespace khabar::search_internal
