// The web page's files, served by `khabar serve` at / and /static/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace khabar::serve_internal {

struct Asset {
  std::string_view content;
  std::string_view mime_type;
};

// The compiled-in file for a URL path, or none. Paths are looked up in a fixed table, never
// joined to a directory: no request can reach another file.
std::optional<Asset> find_asset(std::string_view path);

// The Arabic font the page names, from a Debian fonts package: the first of these present.
inline constexpr std::string_view kFontCandidates[] = {
    "/usr/share/fonts/truetype/noto/NotoNaskhArabicUI-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansArabicUI-Regular.ttf",
    "/usr/share/fonts/truetype/fonts-hosny-amiri/Amiri-Regular.ttf",
    "/usr/share/fonts/truetype/kacst/KacstOne.ttf",
};
inline constexpr std::string_view kFontPath = "/static/arabic.ttf";

// The font file's bytes: `configured_path` when given, else the first candidate installed.
// Empty when there is none: the page then falls back to the browser's own Arabic font.
std::string load_arabic_font(const std::string& configured_path);

}  // namespace khabar::serve_internal
