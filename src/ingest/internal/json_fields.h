// Which member of a JSON record gives each of khabar's fields: its own names, the names of
// common news tools' exports, and the user's --map.
#pragma once

#include <array>
#include <string_view>
#include <vector>

#include "khabar/ingest.h"

namespace khabar::ingest_internal {

enum class JsonField { kText, kTitle, kUrl, kSource, kPublished, kLang, kId };
inline constexpr size_t kJsonFields = 7;

std::string_view json_field_name(JsonField field);

// A top-level member of a record, as either JSON reader sees it.
struct JsonMember {
  std::string_view key;
  enum class Kind { kString, kNull, kOther } kind = Kind::kOther;
  std::string_view string;  // for kString
};

class JsonFieldChooser {
 public:
  explicit JsonFieldChooser(const ReadOptions& options);

  // For each field, the index in `members` of the member that gives it, or -1: the most
  // preferred name present and not null. A member of another type can be chosen (the caller
  // says it is not a string). A `source` holding an http(s) URL is taken as the URL (as
  // trafilatura writes it), not as the outlet.
  std::array<int, kJsonFields> choose(const std::vector<JsonMember>& members) const;

  // A name read for some field: when it is null, or not chosen because a preferred name was
  // there, it is not kept as metadata only if null.
  bool known(std::string_view key) const;

  // The names read for `field`, most preferred first, for messages ("`text`, `maintext`, ...").
  std::vector<std::string_view> names(JsonField field) const;

 private:
  struct Name {
    std::string_view key;
    JsonField field;
  };
  std::vector<Name> names_;  // most preferred first
};

}  // namespace khabar::ingest_internal
