// khabar/fetch.h — live intake: pages and feeds fetched over HTTP(S) with libcurl, politely.
//
// `khabar ingest URL` and `khabar watch FEEDS_FILE` are built from three parts:
//   HttpClient     one GET, bounded: redirects, time, bytes, http(s) only, conditional;
//   RobotsRules    a site's robots.txt (RFC 9309) as it applies to khabar;
//   PoliteFetcher  threads fetching jobs at most `per_host` at a time from one host, `host_delay`
//                  apart (longer when robots.txt asks), robots.txt read first for each host;
// and the intake itself (khabar/watch.h), which decides what to fetch and stores what came.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "khabar/result.h"

namespace khabar {

// The parts of an http(s) URL that politeness and robots.txt need.
struct UrlParts {
  std::string scheme;          // "http" or "https", lower case
  std::string host;            // lower case
  int port = 0;                // explicit or the scheme's
  std::string path_and_query;  // "/" at least
  // "https://example.com:443": one host for the delay and robots.txt.
  std::string origin() const;
};

// kInvalidArgument unless `url` is an absolute http:// or https:// URL with a host.
Result<UrlParts> parse_http_url(std::string_view url);
// `reference` (absolute, or relative to `base`) as an absolute URL; kInvalidArgument when it is
// not http(s) once resolved.
Result<std::string> resolve_url(std::string_view base, std::string_view reference);
// Does this command-line argument name a URL rather than a file?
bool looks_like_http_url(std::string_view argument);

struct FetchLimits {
  std::string user_agent = "khabar/0.1 (news monitor)";
  long max_redirects = 5;
  std::chrono::milliseconds connect_timeout{10'000};
  // The whole transfer, redirects included: a server that sends a byte a second is dropped.
  std::chrono::milliseconds total_timeout{30'000};
  size_t max_bytes = 5 * 1024 * 1024;  // of the (decompressed) body; more is an error
};

struct HttpResponse {
  long status = 0;
  std::string url;           // after redirects
  std::string content_type;  // as sent, parameters included
  std::string etag;
  std::string last_modified;
  std::optional<int64_t> retry_after_seconds;  // Retry-After in seconds, on 429 and 503
  std::string body;
};

// Why a fetch gave nothing. Transient failures are worth trying again later.
struct FetchFailure {
  std::string reason;
  bool transient = false;
  bool stopped = false;  // cut short by a stop (a signal): says nothing of the URL
  long status = 0;       // the HTTP status, when one came
  std::optional<int64_t> retry_after_seconds;
};

// A response, or why there is none.
struct FetchOutcome {
  std::optional<HttpResponse> response;
  FetchFailure failure;  // when there is no response
  bool ok() const { return response.has_value(); }
};

// One libcurl easy handle, reused between requests (its connections are kept alive). Not
// shared between threads.
class HttpClient {
 public:
  explicit HttpClient(FetchLimits limits = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // A GET; with `etag` or `last_modified` it is conditional, and 304 comes back as a response.
  // Any other status outside 2xx, a transfer error, a body over max_bytes, a redirect to
  // something other than http(s) or past max_redirects are failures. `stop` turning true
  // aborts a transfer under way.
  struct Request {
    std::string url;
    std::string etag;
    std::string last_modified;
    size_t max_bytes = 0;  // 0: FetchLimits::max_bytes
    // Past max_bytes, keep the first max_bytes as the body instead of failing (robots.txt).
    bool keep_truncated = false;
  };
  FetchOutcome get(const Request& request, const std::atomic<bool>* stop = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A site's robots.txt as it applies to one user agent (RFC 9309): the groups naming the agent's
// product token, else the `*` groups; the longest matching Allow or Disallow wins, Allow on a
// tie; `*` and `$` in patterns. Crawl-delay, not in the RFC but widely written, is kept.
class RobotsRules {
 public:
  static RobotsRules allow_all();
  static RobotsRules disallow_all();
  // `product` is the agent's token ("khabar"), compared without case.
  static RobotsRules parse(std::string_view robots_txt, std::string_view product);

  bool allows(std::string_view path_and_query) const;
  std::optional<double> crawl_delay_seconds() const { return crawl_delay_; }

 private:
  struct Rule {
    std::string pattern;
    bool allow = false;
  };
  std::vector<Rule> rules_;
  std::optional<double> crawl_delay_;
};

struct PolitenessOptions {
  FetchLimits limits;
  int threads = 8;                      // requests under way at once, over all hosts
  int per_host = 1;                     // at once to one host
  double host_delay_seconds = 1;        // between the end of one request to a host and the next
  double max_crawl_delay_seconds = 60;  // a robots.txt Crawl-delay above this is capped
  bool obey_robots = true;
};

// A URL to fetch, and what to do with it once fetched, given to the thread that fetched it. The
// callback runs on a fetching thread; what it touches it must guard.
struct FetchJob {
  std::string url;
  std::string etag;
  std::string last_modified;
  size_t max_bytes = 0;  // 0: the limits'
  std::function<void(FetchOutcome outcome)> done;
};

// Fetches jobs on its own threads, one host at a time politely. Jobs for a host whose
// robots.txt forbids the path fail (not transient) with reason "disallowed by robots.txt".
class PoliteFetcher {
 public:
  explicit PoliteFetcher(PolitenessOptions options);
  // Waits for the jobs under way; those not started are dropped.
  ~PoliteFetcher();
  PoliteFetcher(const PoliteFetcher&) = delete;
  PoliteFetcher& operator=(const PoliteFetcher&) = delete;

  // kInvalidArgument when the URL is not http(s); the job is not taken.
  Status submit(FetchJob job);
  // Jobs submitted and not yet done (their callbacks not returned).
  size_t pending() const;
  // Stops taking jobs from the queue and aborts transfers under way (their callbacks hear a
  // failure); returns when every thread is idle.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace khabar
