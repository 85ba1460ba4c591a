#include "normalize/internal/folding_table.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <iostream>

#include "khabar_data/arabic_folding_tsv.h"
#include "text/utf8.h"

namespace khabar::normalize_internal {
namespace {

struct CodeRange {
  char32_t first = 0;
  char32_t last = 0;
};

bool parse_code_point(std::string_view s, char32_t& out) {
  if (s.size() < 6 || s.substr(0, 2) != "U+") return false;
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), value, 16);
  if (ec != std::errc() || end != s.data() + s.size() || value > 0x10FFFF) return false;
  out = value;
  return true;
}

bool parse_range(std::string_view s, CodeRange& out) {
  const size_t dots = s.find("..");
  if (dots == std::string_view::npos) {
    if (!parse_code_point(s, out.first)) return false;
    out.last = out.first;
    return true;
  }
  return parse_code_point(s.substr(0, dots), out.first) &&
         parse_code_point(s.substr(dots + 2), out.last) && out.first <= out.last;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t begin = 0;
  while (true) {
    const size_t tab = line.find('\t', begin);
    fields.push_back(line.substr(begin, tab == std::string_view::npos ? tab : tab - begin));
    if (tab == std::string_view::npos) return fields;
    begin = tab + 1;
  }
}

}  // namespace

uint32_t FoldingTable::class_bit(std::string_view name) const {
  for (size_t i = 0; i < class_names_.size(); ++i) {
    if (class_names_[i] == name) return 1u << i;
  }
  return 0;
}

std::vector<char32_t> FoldingTable::sources() const {
  std::vector<char32_t> out;
  for (char32_t c = 0; c < kIndexSize; ++c) {
    if (index_[c] != 0) out.push_back(c);
  }
  return out;
}

Result<FoldingTable> FoldingTable::parse(std::string_view tsv) {
  FoldingTable table;
  for (const text::DataLine& data_line : text::data_lines(tsv)) {
    const std::string_view line = data_line.text;
    auto fail = [&](std::string_view why) {
      return make_error(ErrorCode::kInternal, fmt::format("arabic_folding.tsv line {}: {}: «{}»",
                                                          data_line.number, why, line));
    };
    const auto fields = split_tabs(line);
    if (fields.size() < 3) return fail("expected from<TAB>to<TAB>class");
    CodeRange from;
    if (!parse_range(fields[0], from) || from.last >= kIndexSize) {
      return fail("`from` must be U+XXXX or U+XXXX..U+YYYY in the BMP");
    }
    std::string class_name(fields[2]);
    if (class_name.empty()) return fail("missing class");
    uint8_t class_index = 0;
    while (class_index < table.class_names_.size() &&
           table.class_names_[class_index] != class_name) {
      ++class_index;
    }
    if (class_index == table.class_names_.size()) {
      if (class_index == 32) return fail("more than 32 classes");
      table.class_names_.push_back(class_name);
    }
    CodeRange to_range;
    const bool elementwise = fields[1].find("..") != std::string_view::npos;
    std::string fixed_replacement;
    if (elementwise) {
      if (!parse_range(fields[1], to_range) ||
          to_range.last - to_range.first != from.last - from.first) {
        return fail("a `to` range must have as many code points as `from`");
      }
    } else {
      size_t begin = 0;
      const std::string_view to = fields[1];
      while (begin < to.size()) {
        size_t end = to.find(' ', begin);
        if (end == std::string_view::npos) end = to.size();
        char32_t c = 0;
        if (!parse_code_point(to.substr(begin, end - begin), c)) return fail("bad `to` code point");
        text::append_code_point(fixed_replacement, c);
        begin = end + 1;
      }
    }
    for (char32_t c = from.first; c <= from.last; ++c) {
      if (table.index_[c] != 0) return fail(fmt::format("U+{:04X} has two rules", uint32_t{c}));
      FoldingRule rule{fixed_replacement, class_index};
      if (elementwise) {
        rule.replacement.clear();
        text::append_code_point(rule.replacement, to_range.first + (c - from.first));
      }
      table.rules_.push_back(std::move(rule));
      if (table.rules_.size() >= 0xFFFF) return fail("too many rules");
      table.index_[c] = static_cast<uint16_t>(table.rules_.size());
    }
  }
  return table;
}

const FoldingTable& FoldingTable::embedded() {
  static const FoldingTable table = [] {
    Result<FoldingTable> parsed = parse(data::arabic_folding_tsv);
    if (!parsed.ok()) {
      std::cerr << "khabar: internal error: " << parsed.error().message << "\n";
      std::abort();
    }
    return std::move(parsed).value();
  }();
  return table;
}

}  // namespace khabar::normalize_internal
