#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "khabar/search.h"
#include "search/analysis.h"

// Any bytes, as a document or as a query: every word's span lies inside the text, in order,
// and the query expression is built without fault.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static khabar::search_internal::SearchAnalysis analysis;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t previous_end = 0;
  analysis.each_term(input, [&](const khabar::search_internal::SearchTerm& t) {
    if (t.term.empty() || t.begin > t.end || t.end > size || t.begin < previous_end) std::abort();
    previous_end = t.end;
  });
  (void)khabar::search_expression(input);
  (void)khabar::search_expression(input, khabar::SearchWords::kAny);
  return 0;
}
