// khabar/serve.h — the HTTP JSON API over one store.
//
//   khabar::ApiServer server({.db = "khabar.db", .port = 8080});
//   khabar::Result<int> port = server.bind();   // 127.0.0.1:8080; port 0 picks a free one
//   server.run();                               // until stop(), from another thread or a signal
//
// The web page (web/, compiled in): GET / and /static/{app.js,style.css,arabic.ttf}. It reads
// the API below, renders right to left, and puts article text in the page as text only.
//
// Routes (all JSON; errors as {"error": {"code": ..., "message": ...}} with an HTTP status):
//   GET  /healthz                  {"status": "ok", "articles": N, "schema": 8}
//   GET  /api/stories?since=&until=&q=&limit=&cursor=
//                                  stories, the most recently active first; q keeps the stories
//                                  of articles matching the words; "next_cursor" pages on
//                                  (a position in the order: a story starting between two
//                                  pages shifts nothing, and none is shown twice)
//   GET  /api/stories/{id}         a story: members, and the cross-outlet facts (entities,
//                                  counts with conflicts, framings, quotes, timeline)
//   GET  /api/articles/{id}        an article as stored, with the cleaning audit ("audit": the
//                                  text as read in pieces, removed ones marked)
//   GET  /api/entities/{id}?limit= a person, place or organisation by id or key (place:KZ): its
//                                  spellings, outlets, stories and latest articles
//   GET  /api/search?q=&outlet=&lang=&since=&until=&story=&entity=&limit=
//                                  ranked hits with snippets (khabar/search.h)
//   POST /api/articles             a JSON object or JSONL (one article a line), validated and
//                                  stored as `khabar ingest` does; the counts, each article's
//                                  id and whether it was stored or present, every problem.
//                                  Needs the write token (ServeOptions::write_token): 401
//                                  without it, 415 for a type other than application/json or
//                                  application/x-ndjson, 403 from another site's page (Origin)
// A server on a loopback address answers only requests whose Host is a loopback name (403
// otherwise: DNS rebinding). A known path asked with another method gets 405, a query
// parameter the route does not read 400.
// Parameters are checked (ids, dates as YYYY-MM-DD, limit 1..200, cursors) and refused with 400
// and a message naming the parameter; a body over max_body_bytes gets 413.
//
// Each worker thread holds its own connection (WAL: readers see committed batches while ingest
// writes); POSTs are stored one at a time, through one connection and one IngestSession
// (khabar/pipeline.h), so the duplicate index, clusterer and entity index are not reloaded for
// each.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "khabar/cluster.h"
#include "khabar/result.h"

namespace khabar {

struct ServeOptions {
  std::string db = "khabar.db";
  std::string host = "127.0.0.1";
  int port = 8080;
  size_t max_body_bytes = size_t{16} << 20;
  // POST /api/articles needs «Authorization: Bearer write_token», a JSON content type and no
  // Origin but the server's own; empty: the server takes no writes (403).
  std::string write_token{};
  // The page's Arabic font; empty: the first installed of Debian's Noto Naskh Arabic
  // (fonts-noto-core, fonts-noto-ui-core), Amiri (fonts-hosny-amiri), KacstOne (fonts-kacst).
  std::string font_path{};
  // How POSTed articles are placed in stories (khabar/cluster.h). Unless `stories_chosen`, the
  // store's own, which its first run fixed (PipelineOptions::cluster_chosen).
  ClusterOptions stories{};
  bool stories_chosen = false;
};

// localhost, ::1 or a 127.x.x.x address: names and addresses only this machine reaches.
bool is_loopback_host(std::string_view host);

class ApiServer {
 public:
  explicit ApiServer(ServeOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Checks the database opens, binds the socket; returns the port bound.
  Result<int> bind();
  // Serves until stop(); false when the server could not run.
  bool run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace khabar
