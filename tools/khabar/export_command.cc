#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "commands.h"
#include "khabar/article_json.h"
#include "khabar/store.h"

namespace khabar::cli {

namespace {

// CLI11 writes into these while parsing, so they live as long as the callback that reads them.
struct ExportArgs {
  bool jsonl = false;
  std::string output = "-";
  bool raw = false;
};

}  // namespace

void add_export_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "export", "Write every stored article as JSON lines (re-ingestable: same ids)");
  cmd->add_flag("--jsonl", args->jsonl, "JSON lines (the only format for now)")->required();
  cmd->add_option("--output,-o", args->output, "File to write, or - for standard output")
      ->capture_default_str();
  cmd->add_flag("--raw", args->raw, "Include the text as read and its normal form");
  cmd->callback([args, &global, &exit_code] {
    const std::string& output = args->output;
    Result<Store> store = Store::open_existing(global.db);
    if (!store.ok()) {
      exit_code = fail(store.error());
      return;
    }
    std::ofstream file;
    if (output != "-") {
      file.open(output, std::ios::binary | std::ios::trunc);
      if (!file) {
        exit_code = fail(make_error(ErrorCode::kIo, fmt::format("{}: cannot write", output)));
        return;
      }
    }
    std::ostream& out = output == "-" ? std::cout : file;
    const ArticleJsonOptions options{.include_raw_text = args->raw,
                                     .include_normalized = args->raw};
    Status status = store->for_each(
        [&](const StoredArticle& a) { out << article_to_json(a, options).dump() << '\n'; });
    out.flush();
    if (!status.ok()) {
      exit_code = fail(status.error());
      return;
    }
    if (!out) {
      exit_code = fail(make_error(ErrorCode::kIo, fmt::format("{}: write failed", output)));
      return;
    }
    exit_code = kExitOk;
  });
}

}  // namespace khabar::cli
