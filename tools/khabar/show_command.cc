#include <fmt/format.h>

#include <iostream>

#include "commands.h"
#include "khabar/article_json.h"
#include "khabar/store.h"

namespace khabar::cli {
namespace {

void print_article(const StoredArticle& a) {
  std::cout << fmt::format("id         {}\n", a.id);
  std::cout << fmt::format("title      {}\n", or_dash(a.title));
  std::cout << fmt::format("source     {}\n", or_dash(a.source));
  std::cout << fmt::format("published  {}\n", or_dash(a.published));
  std::cout << fmt::format("language   {} ({:.2f})\n", a.lang, a.lang_confidence);
  if (!a.byline.empty()) {
    std::cout << fmt::format("byline     {}\n", or_dash(a.byline.line));
    if (!a.byline.agencies.empty()) {
      std::cout << fmt::format("  agencies {}\n", fmt::join(a.byline.agencies, ", "));
    }
    if (!a.byline.outlet.empty()) std::cout << fmt::format("  outlet   {}\n", a.byline.outlet);
    if (!a.byline.editor.empty()) std::cout << fmt::format("  editor   {}\n", a.byline.editor);
  }
  if (!a.url.empty()) std::cout << fmt::format("url        {}\n", or_dash(a.url));
  std::cout << fmt::format("origin     {} ({}, {})\n", a.origin, a.format, a.encoding);
  if (!a.subheads.empty())
    std::cout << fmt::format("subheads   {}\n", fmt::join(a.subheads, " | "));
  std::cout << "\n" << text::without_controls(a.body, /*keep_line_breaks=*/true) << "\n\n";
  std::cout << fmt::format("cleaning audit: {} span{} of the text as read\n", a.removals.size(),
                           a.removals.size() == 1 ? "" : "s");
  for (const Removal& r : a.removals) {
    std::cout << fmt::format("  {:<9} {:<20} bytes {}–{}: {}\n             «{}»\n",
                             r.kind == Removal::Kind::kMovedToMetadata ? "metadata" : "removed",
                             r.rule, r.begin, r.end, r.reason, removal_excerpt(a, r, 80));
  }
}

}  // namespace

// CLI11 writes into these while parsing, so they live as long as the callback that reads them.
struct ShowArgs {
  std::string id;
  bool json = false;
  bool raw = false;
};

void add_show_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* cmd = app.add_subcommand("show", "Show one article as stored, with its cleaning audit");
  cmd->add_option("id", args->id, "Article id, or a unique prefix of at least 4 hex digits")
      ->required();
  cmd->add_flag("--json", args->json, "Print JSON instead of text");
  cmd->add_flag("--raw", args->raw, "With --json, include the text as read and its normal form");
  cmd->callback([args, &global, &exit_code] {
    Result<Store> store = Store::open_existing(global.db);
    if (!store.ok()) {
      exit_code = fail(store.error());
      return;
    }
    Result<std::optional<StoredArticle>> found = store->get(args->id);
    if (!found.ok()) {
      exit_code = fail(found.error());
      return;
    }
    if (!found->has_value()) {
      exit_code = fail(make_error(ErrorCode::kNotFound, fmt::format("no article {} in {}", args->id,
                                                                    Store::shown(global.db))));
      return;
    }
    if (args->json) {
      std::cout << article_to_json(**found,
                                   {.include_raw_text = args->raw, .include_normalized = args->raw})
                       .dump(2)
                << "\n";
    } else {
      print_article(**found);
    }
    exit_code = kExitOk;
  });
}

}  // namespace khabar::cli
