#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "khabar/clean.h"
#include "khabar/queue.h"

// Any bytes as a worker's message: refused with a message, or a Document the cleaner takes
// (its blocks inside the text), which writes back to a message that reads the same.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const khabar::Cleaner cleaner;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  khabar::Result<khabar::Document> document = khabar::parse_document_message(input);
  if (!document.ok()) {
    if (document.error().message.empty()) std::abort();
    return 0;
  }
  (void)cleaner.clean(*document);
  khabar::Result<khabar::Document> again =
      khabar::parse_document_message(khabar::document_message(*document));
  if (!again.ok() || again->text != document->text ||
      again->blocks.size() != document->blocks.size() || again->origin != document->origin) {
    std::abort();
  }
  return 0;
}
