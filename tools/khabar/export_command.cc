// `khabar export`: every stored article, as JSON lines (re-ingestable) or as CSV for a
// spreadsheet, pandas or DuckDB, narrowed by publication day or story.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <optional>
#include <unordered_map>

#include "commands.h"
#include "khabar/article_json.h"
#include "khabar/store.h"

namespace khabar::cli {

namespace {

// CLI11 writes into these while parsing, so they live as long as the callback that reads them.
struct ExportArgs {
  std::string format = "jsonl";
  bool jsonl = false;  // --jsonl, the spelling before --format
  std::string output = "-";
  bool raw = false;
  std::string since, until;
  int64_t story = 0;
};

// RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled.
std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

class CsvWriter {
 public:
  CsvWriter(std::ostream& out, bool raw) : out_(out), raw_(raw) {
    out_ << "id,external_id,outlet,published,lang,story,title,url,text" << (raw_ ? ",raw_text" : "")
         << "\r\n";
  }
  void write(const StoredArticle& a, int64_t story) {
    out_ << a.id << ',' << csv_field(a.external_id) << ',' << csv_field(a.source) << ','
         << csv_field(a.published) << ',' << csv_field(a.lang) << ','
         << (story > 0 ? std::to_string(story) : "") << ',' << csv_field(a.title) << ','
         << csv_field(a.url) << ',' << csv_field(a.body);
    if (raw_) out_ << ',' << csv_field(a.raw_text);
    out_ << "\r\n";
  }

 private:
  std::ostream& out_;
  bool raw_;
};

// A day bound leaves undated articles out, as search's does.
bool within(const std::string& published, const ExportArgs& args) {
  if (args.since.empty() && args.until.empty()) return true;
  if (published.size() < 10) return false;
  const std::string_view day(published.data(), 10);
  return (args.since.empty() || day >= args.since) && (args.until.empty() || day <= args.until);
}

int run_export(Store& store, const ExportArgs& args) {
  if (Status s = check_day_bounds(args.since, args.until); !s.ok()) return fail(s.error());
  if (args.story > 0) {
    Result<std::optional<StorySummary>> story = store.story(args.story);
    if (!story.ok()) return fail(story.error());
    if (!story->has_value()) {
      return fail(make_error(ErrorCode::kNotFound, fmt::format("--story {}: no such story in {}",
                                                               args.story, store.path())));
    }
  }
  const bool csv = args.format == "csv";
  // Each article's story, when CSV has a column for it or --story narrows by it.
  std::unordered_map<std::string, int64_t> story_of;
  if (csv || args.story > 0) {
    Status read = store.for_each_assignment([&](const StoryAssignmentRow& row) {
      if (!row.sighting) story_of[row.id] = row.story;
    });
    if (!read.ok()) return fail(read.error());
  }

  std::ofstream file;
  if (args.output != "-") {
    file.open(args.output, std::ios::binary | std::ios::trunc);
    if (!file) {
      return fail(make_error(ErrorCode::kIo, fmt::format("{}: cannot write", args.output)));
    }
  }
  std::ostream& out = args.output == "-" ? std::cout : file;
  std::optional<CsvWriter> csv_writer;
  if (csv) csv_writer.emplace(out, args.raw);
  const ArticleJsonOptions options{.include_raw_text = args.raw, .include_normalized = args.raw};
  Status status = store.for_each([&](const StoredArticle& a) {
    const auto it = story_of.find(a.id);
    const int64_t story = it == story_of.end() ? 0 : it->second;
    if (!within(a.published, args) || (args.story > 0 && story != args.story)) return;
    if (csv) {
      csv_writer->write(a, story);
    } else {
      out << article_to_json(a, options).dump() << '\n';
    }
  });
  out.flush();
  if (!status.ok()) return fail(status.error());
  if (!out) return fail(make_error(ErrorCode::kIo, fmt::format("{}: write failed", args.output)));
  return kExitOk;
}

}  // namespace

void add_export_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "export",
      "Write the stored articles as JSON lines (re-ingestable: same ids) or CSV (one row an "
      "article, with its story)");
  cmd->add_option("--format", args->format,
                  "jsonl: every field, re-ingestable; csv: id, external_id, outlet, published, "
                  "lang, story, title, url, text (RFC 4180, UTF-8)")
      ->capture_default_str()
      ->check(CLI::IsMember({"jsonl", "csv"}));
  cmd->add_flag("--jsonl", args->jsonl, "The same as --format jsonl");
  cmd->add_option("--output,-o", args->output, "File to write, or - for standard output")
      ->capture_default_str();
  cmd->add_flag("--raw", args->raw, "Include the text as read (and, in JSON, its normal form)");
  cmd->add_option("--since", args->since,
                  "Only articles published on or after this day (YYYY-MM-DD)");
  cmd->add_option("--until", args->until,
                  "Only articles published on or before this day (YYYY-MM-DD)");
  cmd->add_option("--story", args->story, "Only this story's articles")->check(at_least(1));
  cmd->callback([cmd, args, &global, &exit_code] {
    if (args->jsonl && cmd->count("--format") > 0 && args->format != "jsonl") {
      exit_code = fail(make_error(ErrorCode::kInvalidArgument,
                                  "export: --jsonl and --format csv ask for two formats"));
      return;
    }
    exit_code = with_store(global, [&](Store& store) { return run_export(store, *args); });
  });
}

}  // namespace khabar::cli
