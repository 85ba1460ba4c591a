// robots.txt as a site serves it, and the links a feed gives, as live intake reads them.
#include <string_view>

#include "khabar/fetch.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const khabar::RobotsRules rules = khabar::RobotsRules::parse(text, "khabar");
  // Paths taken from the input itself, so that patterns and paths meet.
  for (size_t at = 0; at < text.size() && at < 4096; at += 61) {
    (void)rules.allows(text.substr(at, 200));
  }
  (void)rules.allows("/");
  const std::string_view link = text.substr(0, 2048);
  (void)khabar::resolve_url("https://news.example/rss/feed.xml", link);
  (void)khabar::parse_http_url(link);
  return 0;
}
