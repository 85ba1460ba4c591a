// `khabar serve`: the HTTP JSON API (khabar/serve.h) until interrupted.
#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <random>

#include "commands.h"
#include "khabar/serve.h"
#include "khabar/store.h"

namespace khabar::cli {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string token;
  size_t max_body_mb = 16;
  std::string font;
  double story_threshold = ClusterOptions{}.join_threshold;
  bool story_threshold_chosen = false;  // else the store's
};

std::atomic<ApiServer*> running_server{nullptr};

extern "C" void stop_on_signal(int /*signal*/) {
  if (ApiServer* server = running_server.load()) server->stop();
}

// 128 random bits, as hex: the write token when none is given.
std::string new_token() {
  std::random_device random;
  std::string token;
  for (int i = 0; i < 4; ++i)
    token += fmt::format("{:08x}", random());
  return token;
}

Result<std::pair<std::string, int>> parse_listen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos) {
    const char* begin = listen.data() + colon + 1;
    const char* end = listen.data() + listen.size();
    const auto [at, ec] = std::from_chars(begin, end, port);
    if (ec != std::errc() || at != end) port = -1;
  }
  if (colon == std::string::npos || colon == 0 || port < 0 || port > 65535) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("--listen «{}»: want HOST:PORT, as 127.0.0.1:8080", listen));
  }
  return std::pair{listen.substr(0, colon), port};
}

int run_serve(const GlobalOptions& global, const ServeArgs& args) {
  Result<std::pair<std::string, int>> address = parse_listen(args.listen);
  if (!address.ok()) return fail(address.error());
  if (Status s = ClusterOptions{.join_threshold = args.story_threshold}.validate(); !s.ok()) {
    return fail(s.error());
  }
  // Serving a database that is not there would create an empty one and show nothing.
  if (Result<Store> existing = Store::open_existing(global.db); !existing.ok()) {
    return fail(existing.error());
  }
  std::string token = args.token;
  const char* from_environment = std::getenv("KHABAR_TOKEN");
  if (token.empty() && from_environment != nullptr) token = from_environment;
  const bool generated = token.empty();
  if (generated) token = new_token();
  ApiServer server({.db = global.db,
                    .host = address->first,
                    .port = address->second,
                    .max_body_bytes = args.max_body_mb << 20,
                    .write_token = token,
                    .font_path = args.font,
                    .stories = {.join_threshold = args.story_threshold},
                    .stories_chosen = args.story_threshold_chosen});
  Result<int> port = server.bind();
  if (!port.ok()) return fail(port.error());
  running_server = &server;
  std::signal(SIGINT, stop_on_signal);
  std::signal(SIGTERM, stop_on_signal);
  std::cerr << fmt::format("khabar: serving {} on http://{}:{}/ (Ctrl-C stops)\n",
                           Store::shown(global.db), address->first, *port);
  if (generated) {
    std::cerr << fmt::format(
        "khabar: POST /api/articles needs «Authorization: Bearer {}» (a new token each start; "
        "--token or KHABAR_TOKEN to choose one)\n",
        token);
  }
  if (!is_loopback_host(address->first)) {
    std::cerr << fmt::format(
        "khabar: warning: {} is not a loopback address: whoever reaches it can read every "
        "stored article (writes still need the token); put it behind a proxy with TLS and a "
        "login to expose it (README, Security)\n",
        address->first);
  }
  const bool ran = server.run();
  running_server = nullptr;
  if (!ran) {
    return fail(make_error(ErrorCode::kIo, "the server stopped with an error"));
  }
  std::cerr << "khabar: stopped\n";
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Serve the web page and the HTTP JSON API over the database (stories, articles, "
      "entities, search, ingest)");
  cmd->add_option("--listen", args->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--token", args->token,
                  "The token POST /api/articles needs (Authorization: Bearer TOKEN); default "
                  "$KHABAR_TOKEN, else a new one, printed at start");
  cmd->add_option("--max-body", args->max_body_mb, "Largest request body accepted, in MiB")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{1024}));
  cmd->add_option("--font", args->font,
                  "The page's Arabic font file (default: Debian's Noto Naskh Arabic, Amiri or "
                  "KacstOne, the first installed)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--story-threshold", args->story_threshold,
                  "For POSTed articles: the probability for an article to join a story (0-1), "
                  "as khabar ingest's")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->callback([args, cmd, &global, &exit_code] {
    args->story_threshold_chosen = cmd->count("--story-threshold") > 0;
    exit_code = run_serve(global, *args);
  });
}

}  // namespace khabar::cli
