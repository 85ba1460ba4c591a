// One GET over libcurl, bounded in redirects, time and bytes, and classified: a response, or a
// failure that is worth trying again (a timeout, a 503) or not (a 404, a page too large).
#include <curl/curl.h>
#include <fmt/format.h>

#include <charconv>
#include <mutex>

#include "khabar/fetch.h"
#include "text/utf8.h"

namespace khabar {
namespace {

// curl_global_init is not thread-safe; every client calls this first, once per process.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// HTTP statuses that say "not now" rather than "never".
bool transient_status(long status) {
  return status == 408 || status == 425 || status == 429 || status == 500 || status == 502 ||
         status == 503 || status == 504;
}

bool transient_error(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_ABORTED_BY_CALLBACK:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct HttpClient::Impl {
  FetchLimits limits;
  CURL* curl = nullptr;

  // What one transfer collects; the headers of each response in a redirect chain replace the
  // previous one's.
  struct Transfer {
    HttpResponse response;
    size_t max_bytes = 0;
    bool too_large = false;
    const std::atomic<bool>* stop = nullptr;
  };

  static size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const size_t bytes = size * count;
    if (t->response.body.size() + bytes > t->max_bytes) {
      t->response.body.append(data, t->max_bytes - t->response.body.size());
      t->too_large = true;
      return 0;  // CURLE_WRITE_ERROR
    }
    t->response.body.append(data, bytes);
    return bytes;
  }

  static size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {  // a new response: a redirect's, or 100 Continue's
      t->response.etag.clear();
      t->response.last_modified.clear();
      t->response.retry_after_seconds.reset();
      return size * count;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return size * count;
    const std::string name = text::ascii_lower(text::trim(line.substr(0, colon)));
    const std::string_view value = text::trim(line.substr(colon + 1));
    if (name == "etag") {
      t->response.etag = value;
    } else if (name == "last-modified") {
      t->response.last_modified = value;
    } else if (name == "retry-after") {
      int64_t seconds = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (ec == std::errc() && end == value.data() + value.size() && seconds >= 0)
        t->response.retry_after_seconds = seconds;
    }
    return size * count;
  }

  static int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* t = static_cast<Transfer*>(user);
    return t->stop != nullptr && t->stop->load() ? 1 : 0;
  }
};

HttpClient::HttpClient(FetchLimits limits) : impl_(std::make_unique<Impl>()) {
  init_curl_once();
  impl_->limits = std::move(limits);
  impl_->curl = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (impl_->curl != nullptr) curl_easy_cleanup(impl_->curl);
}

FetchOutcome HttpClient::get(const Request& request, const std::atomic<bool>* stop) {
  FetchOutcome outcome;
  CURL* curl = impl_->curl;
  if (curl == nullptr) {
    outcome.failure.reason = "libcurl could not start a transfer";
    return outcome;
  }
  const FetchLimits& limits = impl_->limits;
  Impl::Transfer transfer;
  transfer.max_bytes = request.max_bytes != 0 ? request.max_bytes : limits.max_bytes;
  transfer.stop = stop;

  // Reset keeps the connection cache: the next page of the same host reuses its connection.
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, limits.max_redirects);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(limits.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.total_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(curl, CURLOPT_USERAGENT, limits.user_agent.c_str());
  // Every encoding libcurl decodes; the size limit counts the decoded bytes, so a gzip bomb
  // stops at it.
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  // A Content-Length over the limit fails before the body comes, unless its start is wanted.
  if (!request.keep_truncated)
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(transfer.max_bytes));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Impl::on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Impl::on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &Impl::on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  curl_slist* headers = nullptr;
  if (!request.etag.empty())
    headers = curl_slist_append(headers, ("If-None-Match: " + request.etag).c_str());
  if (!request.last_modified.empty())
    headers = curl_slist_append(headers, ("If-Modified-Since: " + request.last_modified).c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(headers);

  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  FetchFailure& failure = outcome.failure;
  failure.status = status;
  if (transfer.too_large && request.keep_truncated && status >= 200 && status <= 299) rc = CURLE_OK;
  if (rc != CURLE_OK) {
    if (transfer.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
      failure.reason = fmt::format("larger than {} bytes", transfer.max_bytes);
    } else if (rc == CURLE_ABORTED_BY_CALLBACK) {
      failure.reason = "stopped";
      failure.stopped = true;
    } else if (rc == CURLE_TOO_MANY_REDIRECTS) {
      failure.reason = fmt::format("more than {} redirects", limits.max_redirects);
    } else {
      failure.reason = curl_easy_strerror(rc);
    }
    failure.transient = !transfer.too_large && transient_error(rc);
    return outcome;
  }
  if (status != 304 && (status < 200 || status > 299)) {
    failure.reason = fmt::format("HTTP {}", status);
    failure.transient = transient_status(status);
    failure.retry_after_seconds = transfer.response.retry_after_seconds;
    return outcome;
  }
  HttpResponse& response = transfer.response;
  response.status = status;
  char* final_url = nullptr;
  curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &final_url);
  response.url = final_url != nullptr ? final_url : request.url;
  char* content_type = nullptr;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type != nullptr) response.content_type = content_type;
  outcome.response = std::move(response);
  return outcome;
}

}  // namespace khabar
