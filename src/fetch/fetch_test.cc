#include "khabar/fetch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>

#include "fetch/test_site.h"

namespace khabar {
namespace {

using fetch_testing::TestSite;
using namespace std::chrono_literals;

TEST(HttpUrl, PartsOfAbsoluteUrls) {
  Result<UrlParts> parts = parse_http_url("HTTPS://News.Example.com/a/b?x=1#top");
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  EXPECT_EQ(parts->scheme, "https");
  EXPECT_EQ(parts->host, "news.example.com");
  EXPECT_EQ(parts->port, 443);
  EXPECT_EQ(parts->path_and_query, "/a/b?x=1");
  EXPECT_EQ(parts->origin(), "https://news.example.com:443");
  Result<UrlParts> bare = parse_http_url("http://example.com:8080");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->port, 8080);
  EXPECT_EQ(bare->path_and_query, "/");
}

TEST(HttpUrl, RefusesWhatIsNotHttp) {
  for (const char* url : {"ftp://example.com/x", "file:///etc/passwd", "example.com/x", "",
                          "javascript:alert(1)", "http://"}) {
    EXPECT_FALSE(parse_http_url(url).ok()) << url;
  }
  EXPECT_FALSE(parse_http_url(std::string_view("http://a.com/\0x", 15)).ok());
}

TEST(HttpUrl, ResolvesLinksAgainstTheFeed) {
  EXPECT_EQ(*resolve_url("https://e.com/rss/feed.xml", "/news/1.html#c"),
            "https://e.com/news/1.html");
  EXPECT_EQ(*resolve_url("https://e.com/rss/feed.xml", "2.html"), "https://e.com/rss/2.html");
  EXPECT_EQ(*resolve_url("https://e.com/rss/", "http://other.org/x"), "http://other.org/x");
  EXPECT_FALSE(resolve_url("https://e.com/", "mailto:a@e.com").ok());
  EXPECT_TRUE(looks_like_http_url("HTTP://x"));
  EXPECT_FALSE(looks_like_http_url("http.txt"));
}

TEST(Robots, LongestMatchWinsAndAllowWinsTies) {
  const RobotsRules rules = RobotsRules::parse(
      "# comment\nUser-agent: *\nDisallow: /private\nAllow: /private/public\n"
      "Disallow: /*.pdf$\nDisallow: /same\nAllow: /same\nDisallow:\n",
      "khabar");
  EXPECT_TRUE(rules.allows("/"));
  EXPECT_FALSE(rules.allows("/private/x"));
  EXPECT_TRUE(rules.allows("/private/public/x"));
  EXPECT_FALSE(rules.allows("/docs/a.pdf"));
  EXPECT_TRUE(rules.allows("/docs/a.pdf?download=1"));
  EXPECT_TRUE(rules.allows("/same/thing"));
  EXPECT_TRUE(RobotsRules::parse("User-agent: *\nDisallow: /\n", "khabar").allows("/robots.txt"));
}

TEST(Robots, ComparesPercentEncodedOctetsAndSkipsABom) {
  // RFC 9309 2.2.2: a rule written in UTF-8 matches the path as a URL carries it.
  const RobotsRules rules = RobotsRules::parse(
      "\xEF\xBB\xBFUser-agent: *\nDisallow: /أخبار/\nDisallow: /a%3cd\n", "khabar");
  EXPECT_FALSE(rules.allows("/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/1"));
  EXPECT_FALSE(rules.allows("/%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1/1"));
  EXPECT_FALSE(rules.allows("/أخبار/1"));
  EXPECT_FALSE(rules.allows("/a%3Cd"));
  EXPECT_TRUE(rules.allows("/other"));
}

TEST(Robots, TheNamedGroupReplacesTheStarGroup) {
  const char* text =
      "User-agent: *\nDisallow: /\n\nUser-agent: Googlebot\nUser-agent: KHABAR/1.0\n"
      "Disallow: /drafts/\nCrawl-delay: 2.5\n\nUser-agent: other\nDisallow: /news\n";
  const RobotsRules rules = RobotsRules::parse(text, "khabar");
  EXPECT_TRUE(rules.allows("/news/1"));
  EXPECT_FALSE(rules.allows("/drafts/1"));
  ASSERT_TRUE(rules.crawl_delay_seconds());
  EXPECT_DOUBLE_EQ(*rules.crawl_delay_seconds(), 2.5);
  const RobotsRules stranger = RobotsRules::parse(text, "somebot");
  EXPECT_FALSE(stranger.allows("/news/1"));
  EXPECT_FALSE(stranger.crawl_delay_seconds());
}

TEST(Robots, WildcardsInTheMiddle) {
  const RobotsRules rules = RobotsRules::parse("User-agent: *\nDisallow: /*/print/*.html\n", "k");
  EXPECT_FALSE(rules.allows("/2015/print/a.html"));
  EXPECT_TRUE(rules.allows("/2015/view/a.html"));
}

TEST(Robots, PathologicalPatternsStayQuick) {
  std::string pattern = "Disallow: /";
  for (int i = 0; i < 2000; ++i)
    pattern += "*a";
  const RobotsRules rules = RobotsRules::parse("User-agent: *\n" + pattern + "b\n", "k");
  const std::string path = "/" + std::string(5000, 'a');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(rules.allows(path));
  EXPECT_FALSE(rules.allows(path + "b"));
  // Not a timing test of speed: a backtracking matcher would not return at all.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
}

class HttpClientTest : public ::testing::Test {
 protected:
  TestSite site;
  FetchLimits limits() {
    FetchLimits l;
    l.total_timeout = 1500ms;
    l.max_bytes = 64 * 1024;
    return l;
  }
};

TEST_F(HttpClientTest, ConditionalGetAnswers304) {
  site.server().Get("/feed", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("If-None-Match") == "\"v1\"") {
      res.status = 304;
      return;
    }
    res.set_header("ETag", "\"v1\"");
    res.set_header("Last-Modified", "Mon, 03 Aug 2015 10:00:00 GMT");
    res.set_content("<rss/>", "application/rss+xml");
  });
  HttpClient client(limits());
  FetchOutcome first = client.get({site.url("/feed"), "", "", 0});
  ASSERT_TRUE(first.ok()) << first.failure.reason;
  EXPECT_EQ(first.response->status, 200);
  EXPECT_EQ(first.response->etag, "\"v1\"");
  EXPECT_EQ(first.response->last_modified, "Mon, 03 Aug 2015 10:00:00 GMT");
  EXPECT_EQ(first.response->content_type, "application/rss+xml");
  EXPECT_EQ(first.response->body, "<rss/>");
  FetchOutcome second = client.get({site.url("/feed"), first.response->etag, "", 0});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second.response->status, 304);
  EXPECT_TRUE(second.response->body.empty());
}

TEST_F(HttpClientTest, FollowsRedirectsWithinBounds) {
  site.server().Get("/old", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(site.url("/new"));
  });
  site.server().Get("/new", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("here", "text/html");
  });
  site.server().Get("/loop", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(site.url("/loop"));
  });
  site.server().Get("/to-file", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("ftp://127.0.0.1/x");  // libcurl refuses file:// by itself
  });
  HttpClient client(limits());
  FetchOutcome moved = client.get({site.url("/old"), "", "", 0});
  ASSERT_TRUE(moved.ok()) << moved.failure.reason;
  EXPECT_EQ(moved.response->url, site.url("/new"));
  EXPECT_EQ(moved.response->body, "here");
  FetchOutcome loop = client.get({site.url("/loop"), "", "", 0});
  ASSERT_FALSE(loop.ok());
  EXPECT_EQ(loop.failure.reason, "more than 5 redirects");
  EXPECT_FALSE(loop.failure.transient);
  EXPECT_LE(site.requests("/loop"), 6);
  FetchOutcome file = client.get({site.url("/to-file"), "", "", 0});
  ASSERT_FALSE(file.ok());
  EXPECT_FALSE(file.failure.transient);
}

TEST_F(HttpClientTest, ClassifiesFailures) {
  site.server().Get("/gone",
                    [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
  site.server().Get("/busy", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_header("Retry-After", "120");
  });
  site.server().Get("/huge", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(1 << 20, 'x'), "text/html");
  });
  site.server().Get("/endless", [](const httplib::Request&, httplib::Response& res) {
    // No Content-Length: only the bytes counted as they come stop it.
    res.set_chunked_content_provider("text/html", [](size_t, httplib::DataSink& sink) {
      const std::string chunk(8192, 'y');
      return sink.write(chunk.data(), chunk.size());
    });
  });
  site.server().Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(3s);
    res.set_content("late", "text/html");
  });
  HttpClient client(limits());
  FetchOutcome gone = client.get({site.url("/gone"), "", "", 0});
  EXPECT_EQ(gone.failure.reason, "HTTP 404");
  EXPECT_FALSE(gone.failure.transient);
  FetchOutcome busy = client.get({site.url("/busy"), "", "", 0});
  EXPECT_EQ(busy.failure.reason, "HTTP 503");
  EXPECT_TRUE(busy.failure.transient);
  EXPECT_EQ(busy.failure.retry_after_seconds, 120);
  for (const char* path : {"/huge", "/endless"}) {
    FetchOutcome big = client.get({site.url(path), "", "", 0});
    ASSERT_FALSE(big.ok()) << path;
    EXPECT_EQ(big.failure.reason, "larger than 65536 bytes") << path;
    EXPECT_FALSE(big.failure.transient);
  }
  FetchOutcome slow = client.get({site.url("/slow"), "", "", 0});
  ASSERT_FALSE(slow.ok());
  EXPECT_TRUE(slow.failure.transient) << slow.failure.reason;
  FetchOutcome refused = client.get({"http://127.0.0.1:1/", "", "", 0});
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.failure.transient) << refused.failure.reason;
}

TEST_F(HttpClientTest, AStopAbortsATransferUnderWay) {
  site.server().Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(1s);
    res.set_content("late", "text/html");
  });
  FetchLimits l = limits();
  l.total_timeout = 20s;
  HttpClient client(l);
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(100ms);
    stop = true;
  });
  FetchOutcome got = client.get({site.url("/slow"), "", "", 0}, &stop);
  stopper.join();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.failure.reason, "stopped");
}

// Collects the outcomes of a fetcher's jobs.
struct Outcomes {
  std::mutex mutex;
  std::condition_variable changed;
  std::map<std::string, FetchOutcome> by_url;
  FetchJob job(const std::string& url) {
    FetchJob j;
    j.url = url;
    j.done = [this, url](FetchOutcome outcome) {
      std::lock_guard guard(mutex);
      by_url[url] = std::move(outcome);
      changed.notify_all();
    };
    return j;
  }
  void wait_for(size_t n) {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 30s, [&] { return by_url.size() >= n; }));
  }
};

TEST(PoliteFetcher, ObeysRobotsAndSpacesRequestsToAHost) {
  TestSite site;
  std::mutex mutex;
  std::vector<std::chrono::steady_clock::time_point> starts;
  int under_way = 0;
  int most_under_way = 0;
  site.server().Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("User-agent: *\nDisallow: /private/\n", "text/plain");
  });
  site.server().Get(R"(/page/(\d+))", [&](const httplib::Request&, httplib::Response& res) {
    {
      std::lock_guard guard(mutex);
      starts.push_back(std::chrono::steady_clock::now());
      most_under_way = std::max(most_under_way, ++under_way);
    }
    std::this_thread::sleep_for(20ms);
    {
      std::lock_guard guard(mutex);
      --under_way;
    }
    res.set_content("ok", "text/html");
  });
  PolitenessOptions options;
  options.threads = 4;
  options.per_host = 1;
  options.host_delay_seconds = 0.2;
  Outcomes outcomes;
  {
    PoliteFetcher fetcher(options);
    for (int i = 0; i < 4; ++i)
      ASSERT_TRUE(fetcher.submit(outcomes.job(site.url("/page/" + std::to_string(i)))).ok());
    ASSERT_TRUE(fetcher.submit(outcomes.job(site.url("/private/x"))).ok());
    EXPECT_FALSE(fetcher.submit(outcomes.job("ftp://127.0.0.1/x")).ok());
    outcomes.wait_for(5);
    // A job counts as pending until its callback has returned, just after the outcome came.
    for (int i = 0; i < 500 && fetcher.pending() > 0; ++i)
      std::this_thread::sleep_for(10ms);
    EXPECT_EQ(fetcher.pending(), 0u);
  }
  EXPECT_EQ(site.requests("/robots.txt"), 1);
  EXPECT_EQ(site.requests("/private/x"), 0);
  EXPECT_EQ(outcomes.by_url[site.url("/private/x")].failure.reason, "disallowed by robots.txt");
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(outcomes.by_url[site.url("/page/" + std::to_string(i))].ok());
  EXPECT_EQ(most_under_way, 1);
  ASSERT_EQ(starts.size(), 4u);
  std::sort(starts.begin(), starts.end());
  for (size_t i = 1; i < starts.size(); ++i)
    EXPECT_GE(starts[i] - starts[i - 1], 200ms);
}

TEST(PoliteFetcher, ALongRobotsTxtIsReadForItsFirst512KiB) {
  TestSite site;
  site.server().Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("User-agent: *\nDisallow: /private/\n" + std::string(600 * 1024, '#'),
                    "text/plain");
  });
  site.server().Get(R"(/(a|private/b))", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/html");
  });
  PolitenessOptions options;
  options.host_delay_seconds = 0;
  Outcomes outcomes;
  PoliteFetcher fetcher(options);
  ASSERT_TRUE(fetcher.submit(outcomes.job(site.url("/a"))).ok());
  ASSERT_TRUE(fetcher.submit(outcomes.job(site.url("/private/b"))).ok());
  outcomes.wait_for(2);
  EXPECT_TRUE(outcomes.by_url[site.url("/a")].ok());
  EXPECT_EQ(outcomes.by_url[site.url("/private/b")].failure.reason, "disallowed by robots.txt");
}

TEST(PoliteFetcher, AStopWhileReadingRobotsTxtIsAStopNotAFailure) {
  TestSite site;
  site.server().Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(1500ms);
    res.set_content("", "text/plain");
  });
  PolitenessOptions options;
  Outcomes outcomes;
  PoliteFetcher fetcher(options);
  ASSERT_TRUE(fetcher.submit(outcomes.job(site.url("/a"))).ok());
  std::this_thread::sleep_for(100ms);
  fetcher.stop();
  ASSERT_EQ(outcomes.by_url.size(), 1u);
  EXPECT_TRUE(outcomes.by_url[site.url("/a")].failure.stopped);
}

TEST(PoliteFetcher, AnUnavailableRobotsTxtHoldsTheJobBack) {
  TestSite site;
  // Rate-limited: like a 5xx, not "allowed".
  site.server().Get("/robots.txt",
                    [](const httplib::Request&, httplib::Response& res) { res.status = 429; });
  site.server().Get("/a", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/html");
  });
  PolitenessOptions options;
  options.host_delay_seconds = 0;
  Outcomes outcomes;
  PoliteFetcher fetcher(options);
  ASSERT_TRUE(fetcher.submit(outcomes.job(site.url("/a"))).ok());
  outcomes.wait_for(1);
  const FetchOutcome& got = outcomes.by_url[site.url("/a")];
  EXPECT_FALSE(got.ok());
  EXPECT_TRUE(got.failure.transient);
  EXPECT_EQ(site.requests("/a"), 0);
}

}  // namespace
}  // namespace khabar
