#include "text/nesting.h"

#include <gtest/gtest.h>

#include <string>

namespace khabar::text {
namespace {

std::string nested(const std::string& open, const std::string& close, size_t depth) {
  std::string out;
  for (size_t i = 0; i < depth; ++i)
    out += open;
  out += "x";
  for (size_t i = 0; i < depth; ++i)
    out += close;
  return out;
}

TEST(JsonNesting, CountsArraysAndObjectsOutsideStrings) {
  EXPECT_FALSE(json_too_deep(R"({"a": [1, {"b": [2]}], "c": "[[[[[[["})", 4));
  EXPECT_EQ(json_too_deep(R"({"a": [1, {"b": [[2]]}]})", 3), size_t{16});
  // An escaped quote does not end the string its brackets are in.
  EXPECT_FALSE(json_too_deep(R"(["\"[[[[[[[[["])", 2));
}

TEST(JsonNesting, FindsTheByteWhereTheLimitIsPassed) {
  const std::string deep = nested("[", "]", 60000);
  EXPECT_EQ(json_too_deep(deep), kMaxJsonDepth);
  EXPECT_FALSE(json_too_deep(nested("{\"k\":", "}", kMaxJsonDepth)));
  // Malformed input is scanned the same way: the parser says what else is wrong with it.
  EXPECT_TRUE(json_too_deep(std::string(200, '{')));
}

TEST(HtmlNesting, ElementsTheParserClosesDoNotNest) {
  std::string page = "<html><body>";
  for (int i = 0; i < 5000; ++i)
    page += "<p>para<br><img src=x><li>item<td>cell<input type=text>";
  page += "</body></html>";
  EXPECT_FALSE(html_too_deep(page));
}

TEST(HtmlNesting, DeepElementsAreFoundAtTheirStartTag) {
  const std::string page = "<html><body>" + nested("<div class=\"a>b\">", "</div>", 40000);
  const std::optional<size_t> at = html_too_deep(page);
  ASSERT_TRUE(at);
  EXPECT_EQ(page.substr(*at, 5), "<div ");
  EXPECT_TRUE(html_too_deep(nested("<b>", "", 100000)));
  EXPECT_FALSE(html_too_deep(nested("<div>", "</div>", kMaxHtmlDepth - 2)));
}

TEST(HtmlNesting, EndTagsOfElementsNotOpenAndShortCommentsCannotHideDepth) {
  // Found in review: a script's end tag lowered the count its start tag never raised, and
  // «<!-->» (a whole comment in HTML) hid everything after it.
  std::string with_scripts, after_comment = "<!-->";
  for (int i = 0; i < 2000; ++i) {
    with_scripts += "<div><script></script></span>";
    after_comment += "<div>";
  }
  EXPECT_TRUE(html_too_deep(with_scripts));
  EXPECT_TRUE(html_too_deep(after_comment));
  EXPECT_TRUE(html_too_deep("<!--->" + after_comment));
  EXPECT_TRUE(html_too_deep("<!-- a --!>" + after_comment));
  // An end tag closes the elements opened inside its element too.
  std::string closed_by_their_div;
  for (int i = 0; i < 3000; ++i)
    closed_by_their_div += "<div><span><b>x</div>";
  EXPECT_FALSE(html_too_deep(closed_by_their_div));
}

TEST(HtmlNesting, MarkupInScriptsCommentsAndSelfClosedTagsDoesNotCount) {
  const std::string many_divs = nested("<div>", "", 5000);
  EXPECT_FALSE(html_too_deep("<script>" + many_divs + "</SCRIPT><p>after"));
  EXPECT_FALSE(html_too_deep("<!--" + many_divs + "--><p>after"));
  EXPECT_FALSE(html_too_deep(nested("<span/>", "", 5000)));
  // An unclosed script is text to the end of the page.
  EXPECT_FALSE(html_too_deep("<script>" + many_divs));
}

}  // namespace
}  // namespace khabar::text
