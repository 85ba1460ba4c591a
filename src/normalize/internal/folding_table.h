// The Arabic folding table, parsed once from data/normalize/arabic_folding.tsv.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "khabar/result.h"

namespace khabar::normalize_internal {

struct FoldingRule {
  std::string replacement;  // UTF-8; empty deletes
  uint8_t rule_class = 0;   // index into FoldingTable::class_names
};

class FoldingTable {
 public:
  // Parses the TSV format documented at the top of arabic_folding.tsv; errors name the line.
  static Result<FoldingTable> parse(std::string_view tsv);
  // The table compiled into the binary. A broken embedded table is a build defect: it aborts.
  static const FoldingTable& embedded();

  // The rule for a code point, or nullptr. Rules exist only in the BMP.
  const FoldingRule* find(char32_t c) const {
    if (c >= kIndexSize) return nullptr;
    const uint16_t slot = index_[c];
    return slot == 0 ? nullptr : &rules_[slot - 1];
  }

  // Bit (1 << i) stands for class_names()[i].
  uint32_t class_bit(std::string_view name) const;
  const std::vector<std::string>& class_names() const { return class_names_; }
  // Every code point that has a rule, for checks over the whole table.
  std::vector<char32_t> sources() const;

 private:
  static constexpr char32_t kIndexSize = 0x10000;
  std::vector<uint16_t> index_ = std::vector<uint16_t>(kIndexSize, 0);
  std::vector<FoldingRule> rules_;
  std::vector<std::string> class_names_;
};

}  // namespace khabar::normalize_internal
