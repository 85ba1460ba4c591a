#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "khabar/cluster.h"
#include "khabar_data/join_model_tsv.h"
#include "text/utf8.h"

namespace khabar {
namespace {

constexpr std::array<std::string_view, kJoinFeatures> kNames = {
    "head",       "title",        "numbers",         "entities",  "places",
    "dates",      "shared_names", "names_contained", "competing", "lead_numbers_disjoint",
    "story_body", "story_head",   "days_apart"};

std::optional<double> parse_number(std::string_view s) {
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::string_view join_feature_name(JoinFeature feature) {
  return kNames.at(static_cast<size_t>(feature));
}

Result<JoinModel> JoinModel::parse(std::string_view text, std::string_view origin) {
  auto bad = [&](size_t line, std::string_view why) {
    return make_error(ErrorCode::kBadInput, fmt::format("{}:{}: {}", origin, line, why));
  };
  JoinModel model;
  std::array<bool, kJoinFeatures> seen{};
  bool seen_intercept = false;
  for (const text::DataLine& line : text::data_lines(text)) {
    const size_t tab = line.text.find('\t');
    if (tab == std::string_view::npos) return bad(line.number, "expected name<TAB>value");
    const std::string_view name = line.text.substr(0, tab);
    const std::optional<double> value = parse_number(line.text.substr(tab + 1));
    if (!value)
      return bad(line.number, fmt::format("«{}» is not a number", line.text.substr(tab + 1)));
    if (name == "intercept") {
      model.intercept = *value;
      seen_intercept = true;
      continue;
    }
    size_t i = 0;
    while (i < kJoinFeatures && kNames[i] != name)
      ++i;
    if (i == kJoinFeatures) return bad(line.number, fmt::format("unknown feature «{}»", name));
    model.weights[i] = *value;
    seen[i] = true;
  }
  if (!seen_intercept) return bad(0, "no intercept");
  for (size_t i = 0; i < kJoinFeatures; ++i) {
    if (!seen[i]) return bad(0, fmt::format("no weight for feature «{}»", kNames[i]));
  }
  return model;
}

Result<JoinModel> JoinModel::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    return make_error(ErrorCode::kIo, fmt::format("{}: cannot read the join model: {}", path,
                                                  std::strerror(errno)));
  }
  return parse(text.str(), path);
}

const JoinModel& JoinModel::built_in() {
  static const JoinModel model = [] {
    Result<JoinModel> parsed =
        JoinModel::parse(data::join_model_tsv, "data/cluster/join_model.tsv");
    // The file is compiled in and checked by cluster_test: only a broken build gets here.
    if (!parsed.ok()) {
      fmt::print(stderr, "khabar: {}\n", parsed.error().message);
      std::abort();
    }
    return *parsed;
  }();
  return model;
}

double JoinModel::probability(const JoinFeatures& features) const {
  double z = intercept;
  for (size_t i = 0; i < kJoinFeatures; ++i)
    z += weights[i] * features[i];
  return 1.0 / (1.0 + std::exp(-z));
}

}  // namespace khabar
