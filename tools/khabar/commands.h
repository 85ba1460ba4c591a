// The khabar command line: one file per command, each a thin layer over the library.
// Exit status: 0 done, 1 done but some input was rejected, 2 could not run (usage, database).
#pragma once

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "khabar/ingest.h"
#include "khabar/result.h"
#include "khabar/store.h"
#include "text/utf8.h"

namespace khabar::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;
inline constexpr int kExitFailed = 2;

struct GlobalOptions {
  std::string db = "khabar.db";
};

// Each adds its subcommand; the callback stores its exit status in `exit_code`.
void add_ingest_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_show_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_list_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_export_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_dups_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_stories_commands(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_search_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_entities_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_serve_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
// khabar publish, worker and status (queue_commands.cc).
void add_queue_commands(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_watch_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_extract_command(CLI::App& app, int& exit_code);
void add_bench_command(CLI::App& app, int& exit_code);

// Prints "khabar: <message>" on standard error and returns kExitFailed.
int fail(const Error& error);

// A whole number of at least `min`, refused in words ("must be a whole number of at least 1"),
// where CLI's own range checks print their bounds to 300 digits.
CLI::Validator at_least(int64_t min);

// What to tell a user whose command line names no command, or one that is not khabar's (a
// typo): the closest command, and where the list is. Empty when the line names a command.
std::string unknown_command_message(const CLI::App& app, const std::vector<std::string>& args);

// Stored text in a line of columns, between first-strong isolates (U+2068 … U+2069): in a
// terminal that lays out bidi text, an Arabic outlet or title would otherwise pull the columns
// around it into its right-to-left run (the outlet and title swapped places).
// The text inside is printed without control characters and without bidi controls of its
// own (U+202A-202E, U+2066-2069), which could close the isolate early or leave one open.
inline std::string isolated(std::string_view s) {
  const std::string clean = text::without_controls(s);
  std::string out = "\u2068";
  for (size_t i = 0; i < clean.size(); ++i) {
    const auto byte = [&](size_t at) { return static_cast<unsigned char>(clean[at]); };
    // U+202A-202E are E2 80 AA-AE; U+2066-2069 are E2 81 A6-A9.
    if (i + 2 < clean.size() && byte(i) == 0xE2 &&
        ((byte(i + 1) == 0x80 && byte(i + 2) >= 0xAA && byte(i + 2) <= 0xAE) ||
         (byte(i + 1) == 0x81 && byte(i + 2) >= 0xA6 && byte(i + 2) <= 0xA9))) {
      i += 2;
      continue;
    }
    out += clean[i];
  }
  return out + "\u2069";
}

// Outlets (or other stored names) as a comma-separated list, each isolated.
inline std::string isolated_list(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ", ";
    out += isolated(name);
  }
  return out;
}

// How listings show an article's fields, the same in every command: stored text is printed
// without control characters, which could otherwise drive the terminal, isolated, and padded
// to `width` columns inside the isolate.
inline std::string or_dash(const std::string& s, size_t width = 0) {
  return isolated(fmt::format("{:<{}}", s.empty() ? "—" : s, width));
}
inline std::string day_or_dash(const std::string& published) {
  return published.empty() ? "—" : published.substr(0, 10);
}
inline std::string title_or_placeholder(const std::string& title) {
  return title.empty() ? "(no title)" : isolated(title);
}

// --since and --until, each empty or a day as YYYY-MM-DD; the error names the option.
inline Status check_day_bounds(const std::string& since, const std::string& until) {
  for (const auto& [value, option] : {std::pair{&since, "--since"}, std::pair{&until, "--until"}}) {
    if (!value->empty() && !is_iso8601_day(*value)) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("{} «{}»: want a date as YYYY-MM-DD", option, *value));
    }
  }
  return {};
}

// A stored entity's sequence from its id or key; kNotFound names what was asked for.
inline Result<int64_t> entity_sequence(Store& store, const std::string& id_or_key) {
  Result<std::optional<StoredEntity>> entity = store.find_entity(id_or_key);
  if (!entity.ok()) return entity.error();
  if (!entity->has_value()) {
    return make_error(ErrorCode::kNotFound,
                      "no entity «" + id_or_key + "» in " + store.path() + " (khabar entities)");
  }
  return (*entity)->sequence;
}

// Opens the database named by --db, which must exist (a read command in the wrong directory
// would otherwise create an empty one and report nothing), and returns work(store); a database
// that cannot be opened is reported and gives kExitFailed.
template <typename Work>
int with_store(const GlobalOptions& global, Work work) {
  Result<Store> store = Store::open_existing(global.db);
  if (!store.ok()) return fail(store.error());
  return work(*store);
}

}  // namespace khabar::cli
