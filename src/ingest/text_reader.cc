#include "ingest/internal/readers.h"
#include "text/utf8.h"

namespace khabar::ingest_internal {

void read_text(DecodedText decoded, std::string_view path, DocumentSink& sink) {
  if (text::trim(decoded.utf8).empty()) {
    sink.problem(reject(path, 0, -1, "empty file (only whitespace)"));
    return;
  }
  Document doc;
  doc.text = std::move(decoded.utf8);
  doc.encoding = std::move(decoded.encoding);
  doc.origin = std::string(path);
  doc.format = InputFormat::kText;
  sink.document(std::move(doc));
}

}  // namespace khabar::ingest_internal
