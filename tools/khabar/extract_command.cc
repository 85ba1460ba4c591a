// `khabar extract`: what extraction finds in articles, without storing them; for checking the
// rules on a text and for eval/score_extraction.py.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "commands.h"
#include "khabar/article_json.h"
#include "khabar/facts_json.h"
#include "khabar/pipeline.h"

namespace khabar::cli {
namespace {

struct ExtractArgs {
  std::vector<std::string> paths;
  std::string format = "auto";
  std::string published;
  bool raw = false;
  bool name_tagger = true;
  std::string name_model;
};

// Extracts each document as it is read, and prints one JSON line for it.
class ExtractSink : public DocumentSink {
 public:
  ExtractSink(const ExtractArgs& args, const Extractor& extractor)
      : args_(args), extractor_(extractor) {}

  void document(Document doc) override {
    std::string body, title = doc.title;
    if (args_.raw) {
      body = doc.text;
    } else {
      Result<StoredArticle> article = processor_.process(doc);
      if (!article.ok()) {
        problem({Problem::Severity::kRejected, doc.origin, 0, -1, article.error().message});
        return;
      }
      body = article->body;
      title = article->title;
    }
    const std::string& published = args_.published.empty() ? doc.published : args_.published;
    nlohmann::json line = extraction_to_json(
        extractor_.extract({.text = body, .title = title, .published = published}));
    line["origin"] = doc.origin;
    line["external_id"] = text_or_null(doc.external_id);
    line["published"] = text_or_null(published);
    line["title"] = text_or_null(title);
    line["text"] = body;
    std::cout << line.dump() << "\n";
  }

  void problem(Problem problem) override {
    std::cerr << "khabar: " << problem.to_string() << "\n";
    if (problem.severity == Problem::Severity::kRejected) rejected_ = true;
  }

  bool rejected() const { return rejected_; }

 private:
  const ExtractArgs& args_;
  const Extractor& extractor_;
  ArticleProcessor processor_;
  bool rejected_ = false;
};

int run_extract(const ExtractArgs& args) {
  Result<InputFormat> format = parse_input_format(args.format);
  if (!format.ok()) return fail(format.error());
  if (!args.published.empty()) {
    if (Result<std::string> valid = parse_iso8601(args.published); !valid.ok()) {
      return fail(make_error(ErrorCode::kInvalidArgument,
                             fmt::format("--published: {}", valid.error().message)));
    }
  }
  if (!args.name_tagger && !args.name_model.empty()) {
    return fail(make_error(ErrorCode::kInvalidArgument,
                           "--name-model needs the tagger: drop --no-name-tagger"));
  }
  ExtractOptions extract_options;
  extract_options.use_name_tagger = args.name_tagger;
  extract_options.name_model = args.name_model;
  std::unique_ptr<Extractor> made;
  try {
    made = std::make_unique<Extractor>(extract_options);
  } catch (const std::runtime_error& e) {  // a model file that cannot be read, named in e
    const std::string option = args.name_model.empty() ? "" : "--name-model: ";
    return fail(make_error(ErrorCode::kInvalidArgument, option + e.what()));
  }
  const Extractor& extractor = *made;
  if (!extractor.has_dictionary()) {
    std::cerr << "khabar: warning: no Arabic Hunspell dictionary (Debian's hunspell-ar); names "
                 "are found, with less sure edges\n";
  }
  ReadOptions options;
  options.format = *format;
  ExtractSink sink(args, extractor);
  read_paths(args.paths, options, sink);
  return sink.rejected() ? kExitRejected : kExitOk;
}

}  // namespace

void add_extract_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ExtractArgs>();
  CLI::App* cmd = app.add_subcommand(
      "extract",
      "Print the people, places, organisations, counts, dates, quotes and framings found in "
      "articles, one JSON line each (nothing is stored)");
  cmd->add_option("paths", args->paths, "Files, directories or - (standard input)")->required();
  cmd->add_option("--format", args->format, "auto, text, jsonl, html, warc or feed (RSS, Atom)")
      ->capture_default_str();
  cmd->add_option("--published", args->published,
                  "Publication date for every article (ISO 8601), overriding the input's; "
                  "without one, relative dates stay partial");
  cmd->add_flag("--raw", args->raw,
                "Extract from the text as read, without cleaning (for single sentences)");
  cmd->add_flag("--name-tagger,!--no-name-tagger", args->name_tagger,
                "Find names with the trained tagger first, then the rules (the default); "
                "--no-name-tagger: the rules alone (docs/method.md, \"The name tagger\")");
  cmd->add_option("--name-model", args->name_model,
                  "A tagger model made by eval/ner_tagger train, instead of the built-in one "
                  "(not with --no-name-tagger)")
      ->check(CLI::ExistingFile);
  cmd->callback([args, &exit_code] { exit_code = run_extract(*args); });
}

}  // namespace khabar::cli
