#include "serve/static_assets.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include "khabar_data/web_app_js.h"
#include "khabar_data/web_index_html.h"
#include "khabar_data/web_style_css.h"

namespace khabar::serve_internal {

std::optional<Asset> find_asset(std::string_view path) {
  if (path == "/" || path == "/index.html") {
    return Asset{data::web_index_html, "text/html; charset=utf-8"};
  }
  if (path == "/static/app.js") return Asset{data::web_app_js, "text/javascript; charset=utf-8"};
  if (path == "/static/style.css") return Asset{data::web_style_css, "text/css; charset=utf-8"};
  return std::nullopt;
}

std::string load_arabic_font(const std::string& configured_path) {
  std::vector<std::string> paths;
  if (!configured_path.empty()) {
    paths.push_back(configured_path);
  } else {
    paths.assign(std::begin(kFontCandidates), std::end(kFontCandidates));
  }
  for (const std::string& path : paths) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) continue;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!bytes.str().empty()) return bytes.str();
  }
  return {};
}

}  // namespace khabar::serve_internal
