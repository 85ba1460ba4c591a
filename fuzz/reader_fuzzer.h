// Shared body of the reader fuzzers: read the bytes in one format, then clean what was read,
// and check what must hold for any input.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "khabar/clean.h"
#include "khabar/ingest.h"
#include "text/utf8.h"

namespace khabar::fuzz {

class CheckingSink : public DocumentSink {
 public:
  void document(Document doc) override {
    // Every document is valid UTF-8, and its blocks lie inside its text.
    if (text::find_invalid_utf8(doc.text) != text::kNoInvalidByte) std::abort();
    for (const SourceBlock& b : doc.blocks) {
      if (b.begin > b.end || b.end > doc.text.size()) std::abort();
    }
    static const Cleaner cleaner;
    const CleanArticle article = cleaner.clean(doc);
    for (const Removal& r : article.removals) {
      if (r.begin > r.end || r.end > doc.text.size()) std::abort();
    }
    if (text::find_invalid_utf8(article.body()) != text::kNoInvalidByte) std::abort();
  }
  void problem(Problem p) override {
    if (p.reason.empty()) std::abort();  // every problem says why
  }
};

inline int read_as(InputFormat format, const uint8_t* data, size_t size) {
  ReadOptions options;
  options.format = format;
  options.max_article_bytes = 1 << 20;
  CheckingSink sink;
  read_buffer(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz", options, sink);
  return 0;
}

}  // namespace khabar::fuzz
