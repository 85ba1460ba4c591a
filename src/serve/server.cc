#include <fmt/format.h>
#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "khabar/article_json.h"
#include "khabar/facts_json.h"
#include "khabar/pipeline.h"
#include "khabar/serve.h"
#include "khabar/store.h"
#include "khabar_data/web_openapi_json.h"
#include "serve/static_assets.h"
#include "text/nesting.h"
#include "text/utf8.h"

namespace khabar {
namespace {

constexpr int64_t kMaxLimit = 200;
constexpr int64_t kDefaultLimit = 20;
// Stories with q are the stories of this many best-matching articles, at most.
constexpr int64_t kStorySearchHits = 500;

// What a handler answers: a status and a JSON body.
struct Reply {
  int status = 200;
  nlohmann::json body;
};

Reply error_reply(int status, std::string_view code, std::string_view message) {
  return {status, {{"error", {{"code", code}, {"message", text::to_valid_utf8(message)}}}}};
}

// A reply's bytes. A request can bring invalid UTF-8 into a message (a path, a parameter);
// dump() would throw on it, and a throw from httplib's error handler ends the process.
std::string json_text(const nlohmann::json& body) {
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void set_json(httplib::Response& response, const Reply& reply) {
  response.status = reply.status;
  // A refusal may leave a body unread: the connection must not read it as the next request.
  if (reply.status == 401 || reply.status == 403 || reply.status == 413 || reply.status == 415) {
    response.set_header("Connection", "close");
  }
  response.set_header("X-Content-Type-Options", "nosniff");
  // JSON is UTF-8 by definition (RFC 8259), and httplib compresses (gzip, br) only a content
  // type it knows exactly: with "; charset=utf-8" a story's 80 KB went uncompressed.
  response.set_content(json_text(reply.body), "application/json");
}

// What a route reads from the request, in UTF-8, or the first part that is not.
std::optional<std::string> invalid_utf8(const httplib::Request& request) {
  if (text::find_invalid_utf8(request.path) != std::string::npos) return "the path";
  for (const auto& [name, value] : request.params) {
    if (text::find_invalid_utf8(name) != std::string::npos ||
        text::find_invalid_utf8(value) != std::string::npos) {
      return fmt::format("the parameter {}", text::to_valid_utf8(name));
    }
  }
  return std::nullopt;
}

// The first query parameter a route does not read, named with the ones it does.
std::optional<std::string> unknown_parameter(const httplib::Request& request,
                                             std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : request.params) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string takes;
    for (const std::string_view k : known)
      takes += fmt::format("{}{}", takes.empty() ? "" : ", ", k);
    return takes.empty()
               ? fmt::format("{}: {} takes no parameters", name, request.path)
               : fmt::format("{}: not a parameter of {} (it takes {})", name, request.path, takes);
  }
  return std::nullopt;
}

// A parameter that fails its check: 400 naming it.
struct BadParameter {
  std::string message;
};

std::string param(const httplib::Request& request, const char* name) {
  return request.has_param(name) ? request.get_param_value(name) : std::string();
}

std::optional<int64_t> to_integer(std::string_view text) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

int64_t integer_param(const httplib::Request& request, const char* name, int64_t fallback,
                      int64_t low, int64_t high) {
  const std::string text = param(request, name);
  if (text.empty()) return fallback;
  const std::optional<int64_t> value = to_integer(text);
  if (!value || *value < low || *value > high) {
    throw BadParameter{
        fmt::format("{}={}: want a whole number from {} to {}", name, text, low, high)};
  }
  return *value;
}

std::string date_param(const httplib::Request& request, const char* name) {
  std::string text = param(request, name);
  if (text.empty()) return text;
  if (!is_iso8601_day(text)) {
    throw BadParameter{fmt::format("{}={}: want a date as YYYY-MM-DD", name, text)};
  }
  return text;
}

// Cursors are opaque to clients. The story listing's is a position in its order,
// "k<story>" or "k<story>@<last_time>", so that a story starting between two pages shifts
// nothing and none is shown twice; the stories of a query, a ranked list made for the request,
// page by offset, "o<offset>".
struct Cursor {
  StoryListPosition position;
  int64_t offset = 0;
};

BadParameter bad_cursor(const std::string& text) {
  return BadParameter{
      fmt::format("cursor={}: not a cursor this API gave (take next_cursor "
                  "from the previous page)",
                  text)};
}

Cursor cursor_param(const httplib::Request& request, bool ranked) {
  const std::string text = param(request, "cursor");
  Cursor cursor;
  if (text.empty()) return cursor;
  if (text[0] != (ranked ? 'o' : 'k')) throw bad_cursor(text);
  const std::string_view rest = std::string_view(text).substr(1);
  const size_t at = rest.find('@');
  const std::optional<int64_t> number = to_integer(rest.substr(0, at));
  if (!number || *number <= 0 || *number > (int64_t{1} << 40)) throw bad_cursor(text);
  if (ranked) {
    if (at != std::string_view::npos) throw bad_cursor(text);
    cursor.offset = *number;
    return cursor;
  }
  cursor.position.story = *number;
  if (at != std::string_view::npos) {
    cursor.position.last_time = std::string(rest.substr(at + 1));
    if (cursor.position.last_time.empty() || cursor.position.last_time.size() > 40 ||
        cursor.position.last_time.find_first_not_of("0123456789-:T.+Z") != std::string::npos) {
      throw bad_cursor(text);
    }
  }
  return cursor;
}

std::string position_cursor(const StorySummary& last) {
  return last.last_time.empty() ? fmt::format("k{}", last.story)
                                : fmt::format("k{}@{}", last.story, last.last_time);
}

// Counts and problems of a POST, as `khabar ingest` reports them.
class CollectingObserver : public IngestObserver {
 public:
  void on_problem(const Problem& problem) override { problems.push_back(problem.to_string()); }
  void on_article(const ArticleOutcome& outcome) override {
    articles.push_back({{"id", outcome.id},
                        {"external_id", text_or_null(outcome.external_id)},
                        {"status", outcome.stored ? "stored" : "already_present"}});
  }
  std::vector<std::string> problems;
  nlohmann::json articles = nlohmann::json::array();
};

// Request threads. Each slow client holds one while it sends; 8 of them (httplib's default)
// stopped the server answering anyone.
constexpr size_t kRequestThreads = 128;

// The host of a Host or Origin header, without its port.
std::string_view host_name(std::string_view host) {
  if (host.starts_with('[')) return host.substr(0, host.find(']') + 1);  // [::1]:8080
  return host.substr(0, host.find(':'));
}

// Equal in time independent of where they differ: the token cannot be guessed byte by byte.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char differ = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i)
    differ |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return differ == 0;
}

// A Content-Type without its parameters ("; charset=utf-8").
std::string_view media_type(std::string_view type) {
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ')
    type.remove_suffix(1);
  return type;
}

bool json_content_type(std::string_view type) {
  type = media_type(type);
  return type == "application/json" || type == "application/x-ndjson" ||
         type == "application/jsonl" || type == "application/jsonlines";
}

}  // namespace

struct ApiServer::Impl {
  ServeOptions options;
  httplib::Server http;
  std::once_flag extractor_once;
  std::unique_ptr<Extractor> extractor;
  std::mutex ingest_mutex;  // one writer at a time; readers go on (WAL)
  // Declared after the extractor the session uses, so destroyed before it.
  std::unique_ptr<Store> writer_store;
  std::unique_ptr<IngestSession> writer_session;

  std::string font;  // the page's Arabic font file, read once

  explicit Impl(ServeOptions o)
      : options(std::move(o)), font(serve_internal::load_arabic_font(options.font_path)) {}

  // This thread's connection: a Store is one connection, used by one thread.
  Result<Store*> store() {
    thread_local std::unique_ptr<Store> store;
    thread_local std::string path;
    if (!store || path != options.db) {
      Result<Store> opened = Store::open(options.db);
      if (!opened.ok()) return opened.error();
      store = std::make_unique<Store>(std::move(*opened));
      path = options.db;
    }
    return store.get();
  }

  const Extractor& shared_extractor() {
    std::call_once(extractor_once, [this] { extractor = std::make_unique<Extractor>(); });
    return *extractor;
  }

  Reply healthz(Store& store) {
    Result<int64_t> articles = store.count_articles();
    if (!articles.ok()) return storage_error(articles.error());
    return {200, {{"status", "ok"}, {"articles", *articles}, {"schema", store.schema_version()}}};
  }

  Reply stories(Store& store, const httplib::Request& request) {
    const int64_t limit = integer_param(request, "limit", kDefaultLimit, 1, kMaxLimit);
    const std::string since = date_param(request, "since"), until = date_param(request, "until");
    const std::string q = param(request, "q");
    const Cursor cursor = cursor_param(request, !q.empty());
    nlohmann::json list = nlohmann::json::array();
    nlohmann::json next = nullptr;
    if (q.empty()) {
      Result<std::vector<StorySummary>> page =
          store.stories_between(since, until, limit + 1, cursor.position);
      if (!page.ok()) return storage_error(page.error());
      const bool more = static_cast<int64_t>(page->size()) > limit;
      if (more) page->pop_back();
      for (const StorySummary& s : *page)
        list.push_back(story_summary_to_json(s));
      if (more) next = position_cursor(page->back());
    } else {
      Result<std::vector<int64_t>> ids = matching_stories(store, q, since, until);
      if (!ids.ok()) return from_error(ids.error());
      const auto total = static_cast<int64_t>(ids->size());
      for (int64_t i = cursor.offset; i < total && i < cursor.offset + limit; ++i) {
        Result<std::optional<StorySummary>> s = store.story((*ids)[static_cast<size_t>(i)]);
        if (!s.ok()) return storage_error(s.error());
        if (s->has_value()) list.push_back(story_summary_to_json(**s));
      }
      if (total > cursor.offset + limit) next = fmt::format("o{}", cursor.offset + limit);
    }
    return {200, {{"stories", std::move(list)}, {"next_cursor", std::move(next)}}};
  }

  // The stories of the best-matching articles, in the order of their best article.
  Result<std::vector<int64_t>> matching_stories(Store& store, const std::string& q,
                                                const std::string& since,
                                                const std::string& until) {
    Result<SearchPage> hits = store.search({.text = q,
                                            .since = since,
                                            .until = until,
                                            .limit = kStorySearchHits,
                                            .snippets = false,
                                            .totals = false});
    if (!hits.ok()) return hits.error();
    std::vector<int64_t> ids;
    for (const SearchHit& hit : hits->hits) {
      if (hit.story > 0 && std::find(ids.begin(), ids.end(), hit.story) == ids.end())
        ids.push_back(hit.story);
    }
    return ids;
  }

  Reply story(Store& store, const std::string& id_text) {
    const std::optional<int64_t> id = to_integer(id_text);
    if (!id || *id <= 0) {
      return error_reply(400, "bad_parameter",
                         fmt::format("story id «{}»: want a positive whole number", id_text));
    }
    Result<std::optional<StorySummary>> summary = store.story(*id);
    if (!summary.ok()) return storage_error(summary.error());
    if (!summary->has_value()) {
      return error_reply(404, "not_found", fmt::format("no story {}", *id));
    }
    Result<std::vector<StoryMember>> members = store.story_members(*id);
    if (!members.ok()) return storage_error(members.error());
    nlohmann::json out = story_summary_to_json(**summary);
    out["members"] = nlohmann::json::array();
    for (const StoryMember& m : *members)
      out["members"].push_back(story_member_to_json(m));
    std::vector<StoredEntity> stored_entities;
    Result<StoryFacts> facts = read_story_facts(store, *id, shared_extractor(), &stored_entities);
    if (!facts.ok()) return storage_error(facts.error());
    // Each entity's store-wide id, for /api/entities: null while its articles wait for
    // extraction.
    out["facts"] = story_facts_to_json(*facts, stored_entities);
    return {200, std::move(out)};
  }

  Reply article(Store& store, const std::string& id) {
    if (id.size() < 4 || id.size() > 16 ||
        id.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return error_reply(400, "bad_parameter",
                         fmt::format("article id «{}»: want 4 to 16 lowercase hex digits", id));
    }
    Result<std::optional<StoredArticle>> found = store.get(id);
    if (!found.ok()) return from_error(found.error());
    if (!found->has_value()) return error_reply(404, "not_found", fmt::format("no article {}", id));
    return {200, article_to_json(**found, {.include_audit_text = true, .origin_name_only = true})};
  }

  // A stored entity by id or key; kNotFound (404) with `missing` when there is none.
  static Result<int64_t> entity_sequence(Store& store, const std::string& id_or_key,
                                         const std::string& missing) {
    Result<std::optional<StoredEntity>> found = store.find_entity(id_or_key);
    if (!found.ok()) return found.error();
    if (!found->has_value()) return make_error(ErrorCode::kNotFound, missing);
    return (*found)->sequence;
  }

  Reply entity(Store& store, const std::string& id, const httplib::Request& request) {
    const int64_t limit = integer_param(request, "limit", kDefaultLimit, 1, kMaxLimit);
    Result<int64_t> sequence = entity_sequence(store, id, fmt::format("no entity {}", id));
    if (!sequence.ok()) return from_error(sequence.error());
    Result<EntityProfile> profile = store.entity_profile(*sequence, limit);
    if (!profile.ok()) return from_error(profile.error());
    return {200, entity_profile_to_json(*profile)};
  }

  Reply search(Store& store, const httplib::Request& request) {
    SearchQuery query;
    query.text = param(request, "q");
    if (query.text.empty()) return error_reply(400, "bad_parameter", "q: the words to find");
    query.outlet = param(request, "outlet");
    query.lang = param(request, "lang");
    query.since = date_param(request, "since");
    query.until = date_param(request, "until");
    query.story = integer_param(request, "story", 0, 0, int64_t{1} << 40);
    query.limit = integer_param(request, "limit", kDefaultLimit, 1, kMaxLimit);
    if (const std::string entity = param(request, "entity"); !entity.empty()) {
      Result<int64_t> sequence =
          entity_sequence(store, entity, fmt::format("entity={}: no such entity", entity));
      if (!sequence.ok()) return from_error(sequence.error());
      query.entity = *sequence;
    }
    query.cursor = param(request, "cursor");
    Result<SearchPage> page = store.search(query);
    if (!page.ok()) return from_error(page.error());
    return {200, search_page_to_json(*page)};
  }

  // The writer: one connection and one ingest session, used under ingest_mutex by whichever
  // thread takes a POST, so the duplicate index, clusterer and entity index are loaded once.
  Result<IngestSession*> ingest_session() {
    if (!writer_session) {
      Result<Store> opened = Store::open(options.db);
      if (!opened.ok()) return opened.error();
      writer_store = std::make_unique<Store>(std::move(*opened));
      PipelineOptions pipeline;
      pipeline.read.format = InputFormat::kJsonl;
      pipeline.extractor = &shared_extractor();
      pipeline.cluster = options.stories;
      pipeline.cluster_chosen = options.stories_chosen;
      writer_session = std::make_unique<IngestSession>(*writer_store, pipeline);
    }
    return writer_session.get();
  }

  // A server on this machine's loopback answers only to this machine's names: a page on
  // another site could otherwise point its own name at 127.0.0.1 (DNS rebinding) and read it.
  std::optional<Reply> refused_host(const httplib::Request& request) const {
    if (!is_loopback_host(options.host)) return std::nullopt;
    const std::string host = request.get_header_value("Host");
    if (is_loopback_host(host_name(host))) return std::nullopt;
    return error_reply(
        403, "bad_host",
        fmt::format("Host «{}» is not this server, which listens on {} only", host, options.host));
  }

  // Why a write is refused before its body is read, if it is: writes need the token, come as
  // JSON, and come from no other site's page.
  std::optional<Reply> refused_write(const httplib::Request& request) const {
    if (options.write_token.empty()) {
      return error_reply(403, "writes_disabled",
                         "this server takes no articles: start it with a token (khabar serve "
                         "--token, or KHABAR_TOKEN)");
    }
    const std::string authorization = request.get_header_value("Authorization");
    const std::string_view bearer = "Bearer ";
    if (!authorization.starts_with(bearer) ||
        !same_secret(std::string_view(authorization).substr(bearer.size()), options.write_token)) {
      return error_reply(401, "unauthorized",
                         "writes need the header «Authorization: Bearer TOKEN» with the token "
                         "khabar serve printed or was given");
    }
    if (!json_content_type(request.get_header_value("Content-Type"))) {
      return error_reply(415, "bad_content_type",
                         "send application/json (an object or an array of them) or "
                         "application/x-ndjson (JSONL)");
    }
    if (request.has_header("Origin")) {
      const std::string origin = request.get_header_value("Origin");
      if (origin != "http://" + request.get_header_value("Host")) {
        return error_reply(403, "bad_origin",
                           fmt::format("a page from {} cannot write here", origin));
      }
    }
    return std::nullopt;
  }

  // The body, read up to max_body_bytes however it is sent (chunked bodies have no length for
  // httplib to check first); nothing when it is larger.
  std::optional<std::string> read_body(const httplib::Request& request,
                                       const httplib::ContentReader& reader) const {
    // httplib hands a reader only the first max_body_bytes of a longer declared length.
    if (request.has_header("Content-Length")) {
      const std::optional<int64_t> length = to_integer(request.get_header_value("Content-Length"));
      if (!length || *length < 0 || static_cast<uint64_t>(*length) > options.max_body_bytes) {
        return std::nullopt;
      }
    }
    std::string body;
    bool too_large = false;
    reader([&](const char* data, size_t length) {
      if (body.size() + length > options.max_body_bytes) {
        too_large = true;
        return false;
      }
      body.append(data, length);
      return true;
    });
    if (too_large) return std::nullopt;
    return body;
  }

  Reply post_articles(const httplib::Request& request, const httplib::ContentReader& reader) {
    if (std::optional<Reply> refused = refused_write(request)) return *refused;
    std::optional<std::string> body = read_body(request, reader);
    if (!body) {
      return error_reply(413, "too_large",
                         fmt::format("the body is larger than the server accepts (--max-body, "
                                     "{} bytes)",
                                     options.max_body_bytes));
    }
    std::string jsonl;
    const bool json = media_type(request.get_header_value("Content-Type")) == "application/json";
    if (json) {
      // One object, or an array of them; the same checks as JSONL then apply to each.
      if (const std::optional<size_t> at = text::json_too_deep(*body)) {
        return error_reply(400, "bad_body",
                           fmt::format("the body nests more than {} arrays or objects (byte {})",
                                       text::kMaxJsonDepth, *at));
      }
      const nlohmann::json parsed = nlohmann::json::parse(*body, nullptr, false);
      if (parsed.is_discarded()) {
        return error_reply(400, "bad_body",
                           "the body is not JSON (send JSONL as "
                           "application/x-ndjson)");
      }
      for (const nlohmann::json& item :
           parsed.is_array() ? parsed : nlohmann::json::array({parsed}))
        jsonl += json_text(item) + "\n";
    } else {
      jsonl = std::move(*body);
    }
    CollectingObserver observer;
    std::lock_guard lock(ingest_mutex);
    Result<IngestSession*> session = ingest_session();
    if (!session.ok()) return storage_error(session.error());
    Result<IngestCounts> counts = (*session)->ingest_buffer(jsonl, "request", observer);
    if (!counts.ok()) return storage_error(counts.error());
    nlohmann::json out{{"read", counts->read},
                       {"stored", counts->stored},
                       {"already_present", counts->already_present},
                       {"rejected", counts->rejected},
                       {"articles", std::move(observer.articles)},
                       {"problems", observer.problems}};
    return {counts->rejected > 0 ? 422 : 200, std::move(out)};
  }

  static Reply storage_error(const Error& error) {
    return error_reply(500, "storage", error.message);
  }
  static Reply from_error(const Error& error) {
    if (error.code == ErrorCode::kInvalidArgument)
      return error_reply(400, "bad_parameter", error.message);
    if (error.code == ErrorCode::kNotFound) return error_reply(404, "not_found", error.message);
    return storage_error(error);
  }

  // Runs a route with this thread's store, turning every failure into a JSON error.
  template <typename Route>
  // `known`: the query parameters the route reads; any other is refused rather than ignored, so
  // that a misspelt one («limt=5») does not pass for the default.
  void handle(const httplib::Request& request, httplib::Response& response, Route route,
              std::initializer_list<std::string_view> known = {}) {
    Reply reply;
    try {
      if (const std::optional<std::string> bad = invalid_utf8(request)) {
        reply = error_reply(400, "bad_parameter", fmt::format("{} is not valid UTF-8", *bad));
      } else if (const std::optional<std::string> unknown = unknown_parameter(request, known)) {
        reply = error_reply(400, "unknown_parameter", *unknown);
      } else {
        Result<Store*> store = this->store();
        reply = store.ok() ? route(**store) : storage_error(store.error());
      }
    } catch (const BadParameter& bad) {
      reply = error_reply(400, "bad_parameter", bad.message);
    } catch (const std::exception& e) {
      reply = error_reply(500, "internal", e.what());
    }
    set_json(response, reply);
  }

  // The page's files, from a fixed table (serve_internal::find_asset).
  void static_file(const httplib::Request& request, httplib::Response& response) {
    // The page loads only its own files: an article's text can never bring a script along.
    response.set_header("Content-Security-Policy",
                        "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                        "base-uri 'none'; frame-ancestors 'none'");
    response.set_header("X-Content-Type-Options", "nosniff");
    if (request.path == serve_internal::kFontPath && !font.empty()) {
      response.set_header("Cache-Control", "max-age=86400");
      response.set_content(font, "font/ttf");
      return;
    }
    if (std::optional<serve_internal::Asset> asset = serve_internal::find_asset(request.path)) {
      response.set_header("Cache-Control", "no-cache");
      response.set_content(std::string(asset->content), std::string(asset->mime_type));
      return;
    }
    set_json(response, error_reply(404, "not_found", fmt::format("no file {}", request.path)));
  }

  // A known path asked with another method: 405 naming the one it takes (no CORS preflight is
  // ever granted, so OPTIONS too).
  void refuse_other_methods(const std::string& path, const char* allowed) {
    const auto refuse = [allowed](const httplib::Request& req, httplib::Response& res) {
      res.set_header("Allow", allowed);
      set_json(res, error_reply(
                        405, "method_not_allowed",
                        fmt::format("{} {}: this path takes {}", req.method, req.path, allowed)));
    };
    if (std::string_view(allowed) != "GET") http.Get(path, refuse);
    if (std::string_view(allowed) != "POST") http.Post(path, refuse);
    http.Put(path, refuse);
    http.Delete(path, refuse);
    http.Patch(path, refuse);
    http.Options(path, refuse);
  }

  // A GET route, every other method refused.
  void get(const std::string& path, httplib::Server::Handler handler) {
    http.Get(path, std::move(handler));
    refuse_other_methods(path, "GET");
  }

  void routes() {
    http.set_payload_max_length(options.max_body_bytes);
    http.new_task_queue = [] { return new httplib::ThreadPool(kRequestThreads); };
    // httplib's default adds SO_REUSEPORT, with which a second server on a busy port starts
    // and takes a share of the first one's requests.
    http.set_socket_options([](socket_t sock) {
      const int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      const std::optional<Reply> refused = refused_host(req);
      if (!refused) return httplib::Server::HandlerResponse::Unhandled;
      set_json(res, *refused);
      return httplib::Server::HandlerResponse::Handled;
    });
    // A reply goes out as header and body writes: with Nagle's algorithm on, the body waits for
    // the client's delayed ACK, 40 ms a request on loopback (measured with wrk: 43 ms for
    // /healthz, under 1 ms without).
    http.set_tcp_nodelay(true);
    for (const char* path : {"/", "/index.html", R"(/static/.*)"}) {
      get(path,
          [this](const httplib::Request& req, httplib::Response& res) { static_file(req, res); });
    }
    // The API's description: the routes, their parameters and every answer's schema, the
    // vocabulary tests/openapi_test.py checks real answers against.
    get("/api/openapi.json", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_content(std::string(data::web_openapi_json), "application/json");
    });
    get("/healthz", [this](const httplib::Request& req, httplib::Response& res) {
      handle(req, res, [&](Store& s) { return healthz(s); });
    });
    get("/api/stories", [this](const httplib::Request& req, httplib::Response& res) {
      handle(req, res, [&](Store& s) { return stories(s, req); },
             {"limit", "since", "until", "q", "cursor"});
    });
    get(R"(/api/stories/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      handle(req, res, [&](Store& s) { return story(s, req.matches[1]); });
    });
    get(R"(/api/articles/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      handle(req, res, [&](Store& s) { return article(s, req.matches[1]); });
    });
    get(R"(/api/entities/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      handle(req, res, [&](Store& s) { return entity(s, req.matches[1], req); }, {"limit"});
    });
    get("/api/search", [this](const httplib::Request& req, httplib::Response& res) {
      handle(req, res, [&](Store& s) { return search(s, req); },
             {"q", "outlet", "lang", "since", "until", "story", "limit", "entity", "cursor"});
    });
    http.Post("/api/articles", [this](const httplib::Request& req, httplib::Response& res,
                                      const httplib::ContentReader& reader) {
      handle(req, res, [&](Store&) { return post_articles(req, reader); });
    });
    refuse_other_methods("/api/articles", "POST");
    // Errors httplib answers itself (no route, body too large) get the JSON form too.
    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      const std::string message =
          res.status == 404   ? fmt::format("no route {} {}", req.method, req.path)
          : res.status == 413 ? "the body is larger than the server accepts (--max-body)"
                              : fmt::format("HTTP status {}", res.status);
      const std::string code = res.status == 404   ? "not_found"
                               : res.status == 413 ? "too_large"
                                                   : "http";
      set_json(res, error_reply(res.status, code, message));
    });
    // Whatever a handler did not catch: the request fails, never the server.
    http.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr thrown) {
          std::string what = "unknown error";
          try {
            std::rethrow_exception(std::move(thrown));
          } catch (const std::exception& e) {
            what = e.what();
          } catch (...) {
          }
          set_json(res, error_reply(500, "internal", what));
        });
  }
};

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  // 127.x.x.x as an address: «127.attacker.example» is a name anyone can point anywhere.
  return host.starts_with("127.") &&
         host.find_first_not_of("0123456789.") == std::string_view::npos;
}

ApiServer::ApiServer(ServeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->routes();
}
ApiServer::~ApiServer() = default;

Result<int> ApiServer::bind() {
  Result<Store> store = Store::open(impl_->options.db);  // fail now, not on the first request
  if (!store.ok()) return store.error();
  const int port = impl_->options.port == 0
                       ? impl_->http.bind_to_any_port(impl_->options.host)
                       : (impl_->http.bind_to_port(impl_->options.host, impl_->options.port)
                              ? impl_->options.port
                              : -1);
  if (port < 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("cannot listen on {}:{} (in use, or not an address here)",
                                  impl_->options.host, impl_->options.port));
  }
  return port;
}

bool ApiServer::run() {
  return impl_->http.listen_after_bind();
}

void ApiServer::stop() {
  impl_->http.stop();
}

}  // namespace khabar
