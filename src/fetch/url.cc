// URLs as libcurl's URL API parses them, so that what is fetched and what is compared agree.
#include <curl/curl.h>
#include <fmt/format.h>

#include <charconv>
#include <memory>

#include "khabar/fetch.h"
#include "text/utf8.h"

namespace khabar {
namespace {

using UrlHandle = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

std::string part(CURLU* url, CURLUPart which, unsigned int flags = 0) {
  char* out = nullptr;
  if (curl_url_get(url, which, &out, flags) != CURLUE_OK || out == nullptr) return {};
  std::string value(out);
  curl_free(out);
  return value;
}

Error not_http(std::string_view url, std::string_view why) {
  return make_error(ErrorCode::kInvalidArgument,
                    fmt::format("«{}» is not an http(s) URL: {}", url, why));
}

Result<UrlHandle> parsed(std::string_view base, std::string_view reference) {
  UrlHandle url(curl_url(), &curl_url_cleanup);
  if (!url) return make_error(ErrorCode::kInternal, "libcurl could not allocate a URL");
  const std::string ref(reference);
  if (ref.find('\0') != std::string::npos) return not_http(reference, "it holds a NUL byte");
  if (!base.empty()) {
    if (curl_url_set(url.get(), CURLUPART_URL, std::string(base).c_str(), 0) != CURLUE_OK)
      return not_http(base, "libcurl cannot parse it");
  }
  const CURLUcode rc = curl_url_set(url.get(), CURLUPART_URL, ref.c_str(), 0);
  if (rc != CURLUE_OK) return not_http(reference, curl_url_strerror(rc));
  const std::string scheme = text::ascii_lower(part(url.get(), CURLUPART_SCHEME));
  if (scheme != "http" && scheme != "https")
    return not_http(reference, fmt::format("its scheme is {}", scheme));
  if (part(url.get(), CURLUPART_HOST).empty()) return not_http(reference, "it names no host");
  return url;
}

}  // namespace

std::string UrlParts::origin() const {
  return fmt::format("{}://{}:{}", scheme, host, port);
}

Result<UrlParts> parse_http_url(std::string_view url) {
  Result<UrlHandle> handle = parsed({}, url);
  if (!handle.ok()) return handle.error();
  UrlParts parts;
  parts.scheme = text::ascii_lower(part(handle->get(), CURLUPART_SCHEME));
  parts.host = text::ascii_lower(part(handle->get(), CURLUPART_HOST));
  const std::string port = part(handle->get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  parts.port = parts.scheme == "https" ? 443 : 80;
  std::from_chars(port.data(), port.data() + port.size(), parts.port);
  // libcurl gives "/" for an empty path.
  parts.path_and_query = part(handle->get(), CURLUPART_PATH);
  if (const std::string query = part(handle->get(), CURLUPART_QUERY); !query.empty())
    parts.path_and_query.append(1, '?').append(query);
  return parts;
}

Result<std::string> resolve_url(std::string_view base, std::string_view reference) {
  Result<UrlHandle> handle = parsed(base, reference);
  if (!handle.ok()) return handle.error();
  // The fragment names a place in the page, not another page.
  curl_url_set(handle->get(), CURLUPART_FRAGMENT, nullptr, 0);
  return part(handle->get(), CURLUPART_URL);
}

bool looks_like_http_url(std::string_view argument) {
  const auto starts = [&](std::string_view prefix) {
    return argument.size() >= prefix.size() &&
           text::ascii_lower(argument.substr(0, prefix.size())) == prefix;
  };
  return starts("http://") || starts("https://");
}

}  // namespace khabar
