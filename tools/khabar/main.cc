#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "khabar/language.h"

namespace khabar::cli {

int fail(const Error& error) {
  std::cerr << "khabar: " << error.message << "\n";
  return kExitFailed;
}

}  // namespace khabar::cli

int main(int argc, char** argv) {
  khabar::tune_allocator_for_batch_work();
  CLI::App app{
      "khabar: Arabic-first news engine. Ingests articles, cleans and normalises them, "
      "and stores them in SQLite or PostgreSQL, alone or as workers on NATS JetStream."};
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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : khabar::cli::kExitFailed;
  }
  return exit_code;
}
