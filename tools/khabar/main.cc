#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <string_view>
#include <vector>

#include "commands.h"
#include "khabar/language.h"

namespace khabar::cli {

int fail(const Error& error) {
  std::cerr << "khabar: " << error.message << "\n";
  return kExitFailed;
}

CLI::Validator at_least(int64_t min) {
  return CLI::Validator(
      [min](std::string& value) -> std::string {
        int64_t n = 0;
        const char* end = value.data() + value.size();
        const auto [stop, error] = std::from_chars(value.data(), end, n);
        if (error == std::errc::result_out_of_range) return fmt::format("{} is too large", value);
        if (error != std::errc() || stop != end || n < min) {
          return fmt::format("must be a whole number of at least {}, not {}", min, value);
        }
        return {};
      },
      fmt::format("INT>={}", min));
}

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string unknown_command_message(const CLI::App& app, const std::vector<std::string>& args) {
  // The first word that is neither an option nor the value of --db.
  std::string word;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--db") {
      ++i;
      continue;
    }
    if (!args[i].starts_with("-")) {
      word = args[i];
      break;
    }
  }
  if (word.empty()) return "no command given; khabar --help lists them";
  std::string closest;
  size_t best = 3;  // farther than two edits is not a typo
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (command->get_name() == word) return {};
    const size_t d = edit_distance(word, command->get_name());
    if (d < best) {
      best = d;
      closest = command->get_name();
    }
  }
  const std::string shown = text::without_controls(word);
  return closest.empty()
             ? fmt::format("'{}' is not a command; khabar --help lists them", shown)
             : fmt::format("'{}' is not a command: did you mean '{}'? (khabar --help lists them)",
                           shown, closest);
}

}  // namespace khabar::cli

int main(int argc, char** argv) {
  khabar::tune_allocator_for_batch_work();
  CLI::App app{
      "khabar: Arabic-first news engine. Ingests articles, cleans and normalises them, "
      "and stores them in SQLite or PostgreSQL, alone or as workers on NATS JetStream.",
      "khabar"};
  app.set_version_flag("--version", "khabar 0.1.0");
  app.require_subcommand(1);

  khabar::cli::GlobalOptions global;
  if (const char* env = std::getenv("KHABAR_DB"); env != nullptr && *env != '\0') global.db = env;
  app.add_option("--db", global.db,
                 "SQLite database file, or postgresql://... (default ./khabar.db, or $KHABAR_DB)")
      ->capture_default_str();

  int exit_code = khabar::cli::kExitOk;
  khabar::cli::add_ingest_command(app, global, exit_code);
  khabar::cli::add_watch_command(app, global, exit_code);
  khabar::cli::add_show_command(app, global, exit_code);
  khabar::cli::add_list_command(app, global, exit_code);
  khabar::cli::add_export_command(app, global, exit_code);
  khabar::cli::add_dups_command(app, global, exit_code);
  khabar::cli::add_stories_commands(app, global, exit_code);
  khabar::cli::add_search_command(app, global, exit_code);
  khabar::cli::add_entities_command(app, global, exit_code);
  khabar::cli::add_serve_command(app, global, exit_code);
  khabar::cli::add_queue_commands(app, global, exit_code);
  khabar::cli::add_extract_command(app, exit_code);
  khabar::cli::add_bench_command(app, exit_code);

  if (argc == 1) {  // a bare khabar: what it can do
    std::cout << app.help();
    return khabar::cli::kExitFailed;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0) {
      const std::string unknown = khabar::cli::unknown_command_message(
          app, std::vector<std::string>(argv + 1, argv + argc));
      if (!unknown.empty()) {
        std::cerr << "khabar: " << unknown << "\n";
        return khabar::cli::kExitFailed;
      }
    }
    const int status = app.exit(e);
    return status == 0 ? 0 : khabar::cli::kExitFailed;
  }
  return exit_code;
}
