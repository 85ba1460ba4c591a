#include <fmt/format.h>
#include <gumbo.h>

#include <algorithm>
#include <array>
#include <csetjmp>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "ingest/internal/readers.h"
#include "khabar_data/html_chrome_words_txt.h"
#include "text/nesting.h"
#include "text/utf8.h"

namespace khabar::ingest_internal {
namespace {

// gumbo with a memory budget. Misnested formatting elements make its tree builder copy them
// again and again: a 50 KB page took 4 GB (html_reader_fuzzer). Its allocator cannot fail, so
// past the budget the parse is abandoned with longjmp out of gumbo's C code, and every block
// it had is freed here.
class BoundedGumbo {
 public:
  explicit BoundedGumbo(size_t budget) : budget_(budget) {
    options_ = kGumboDefaultOptions;
    options_.allocator = &BoundedGumbo::allocate;
    options_.deallocator = &BoundedGumbo::deallocate;
    options_.userdata = this;
  }
  BoundedGumbo(const BoundedGumbo&) = delete;
  BoundedGumbo& operator=(const BoundedGumbo&) = delete;
  ~BoundedGumbo() {
    if (output_ != nullptr) gumbo_destroy_output(&options_, output_);
    free_all();
  }

  // The parse, or null when it needed more than the budget.
  const GumboOutput* parse(std::string_view html) {
    if (setjmp(exceeded_) != 0) {
      free_all();  // what gumbo held when it was stopped
      return nullptr;
    }
    output_ = gumbo_parse_with_options(&options_, html.data(), html.size());
    return output_;
  }

 private:
  // Each block carries its links and size in front, so that an abandoned parse's blocks can
  // all be found.
  struct alignas(std::max_align_t) Header {
    Header* prev;
    Header* next;
    size_t size;
  };

  static void* allocate(void* userdata, size_t size) {
    auto* self = static_cast<BoundedGumbo*>(userdata);
    auto* block = static_cast<Header*>(std::malloc(sizeof(Header) + size));
    if (block == nullptr) std::longjmp(self->exceeded_, 1);
    *block = {nullptr, self->blocks_, size};
    if (self->blocks_ != nullptr) self->blocks_->prev = block;
    self->blocks_ = block;
    self->used_ += size;
    if (self->used_ > self->budget_) std::longjmp(self->exceeded_, 1);
    return block + 1;
  }

  static void deallocate(void* userdata, void* pointer) {
    if (pointer == nullptr) return;
    auto* self = static_cast<BoundedGumbo*>(userdata);
    Header* block = static_cast<Header*>(pointer) - 1;
    (block->prev != nullptr ? block->prev->next : self->blocks_) = block->next;
    if (block->next != nullptr) block->next->prev = block->prev;
    self->used_ -= block->size;
    std::free(block);
  }

  void free_all() {
    while (blocks_ != nullptr) {
      Header* next = blocks_->next;
      std::free(blocks_);
      blocks_ = next;
    }
    used_ = 0;
    output_ = nullptr;
  }

  GumboOptions options_{};
  size_t budget_;
  size_t used_ = 0;
  Header* blocks_ = nullptr;
  GumboOutput* output_ = nullptr;
  std::jmp_buf exceeded_{};
};

// gumbo's memory for a page: about ten times its size for ordinary pages; this leaves room.
size_t parse_budget(size_t page_bytes) {
  return (size_t{32} << 20) + 40 * page_bytes;
}

const std::set<std::string, std::less<>>& chrome_words() {
  static const std::set<std::string, std::less<>> words = [] {
    std::set<std::string, std::less<>> out;
    for (const text::DataLine& line : text::data_lines(data::html_chrome_words_txt)) {
      out.emplace(line.text);
    }
    return out;
  }();
  return words;
}

std::string_view attribute(const GumboNode* node, const char* name) {
  const GumboAttribute* attr = gumbo_get_attribute(&node->v.element.attributes, name);
  return attr == nullptr ? std::string_view() : std::string_view(attr->value);
}

// Is one of the words of the element's class, id or role (split at spaces, '-' and '_') one
// that `wanted` accepts?
template <typename Predicate>
bool has_class_word(const GumboNode* node, Predicate wanted) {
  for (const char* name : {"class", "id", "role"}) {
    const std::string value = text::ascii_lower(attribute(node, name));
    size_t begin = 0;
    for (size_t i = 0; i <= value.size(); ++i) {
      const bool separator = i == value.size() || value[i] == ' ' || value[i] == '-' ||
                             value[i] == '_' || value[i] == '\t';
      if (!separator) continue;
      const std::string_view word = std::string_view(value).substr(begin, i - begin);
      if (i > begin && wanted(word)) return true;
      begin = i + 1;
    }
  }
  return false;
}

bool has_chrome_class(const GumboNode* node) {
  return has_class_word(node, [](std::string_view w) { return chrome_words().contains(w); });
}

bool has_any_class_word(const GumboNode* node, std::initializer_list<std::string_view> words) {
  return has_class_word(node, [&](std::string_view w) {
    return std::find(words.begin(), words.end(), w) != words.end();
  });
}

bool is_skipped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_INPUT:
      return true;
    default:
      return false;
  }
}

bool is_chrome_tag(GumboTag tag) {
  return tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_FOOTER || tag == GUMBO_TAG_ASIDE ||
         tag == GUMBO_TAG_MENU || tag == GUMBO_TAG_HEADER;
}

bool is_block(GumboTag tag, SourceBlock::Kind& kind) {
  switch (tag) {
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
      kind = SourceBlock::Kind::kHeading;
      return true;
    case GUMBO_TAG_LI:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
      kind = SourceBlock::Kind::kListItem;
      return true;
    case GUMBO_TAG_BLOCKQUOTE:
      kind = SourceBlock::Kind::kQuote;
      return true;
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
      kind = SourceBlock::Kind::kCell;
      return true;
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_MENU:
      kind = SourceBlock::Kind::kParagraph;
      return true;
    default:
      return false;
  }
}

std::string node_text(const GumboNode* node);

// Paragraphs shorter than this (bytes) are not counted when scoring where the article is.
constexpr size_t kMinScoredParagraph = 25;
// A caption or an author box is small; an element holding more text is not one, whatever its
// class says.
constexpr size_t kMaxCaptionOrAuthorBytes = 2000;
// A paragraph that the page's JSON-LD articleBody holds counts this many times.
constexpr double kArticleBodyWeight = 3.0;
// Outside the article as scored, lines of at most this many words are chrome.
constexpr size_t kMaxWordsOutsideScored = 12;

// How much text each element holds, and whether the article is inside it: a class word says
// "chrome" only of a container that does not hold the article. Themes put words like
// "sidebar" or "no-sidebar" on <body> and on wrappers around everything, which discarded whole
// pages.
class SubtreeText {
 public:
  // `article_body`: the page's JSON-LD articleBody, or empty.
  SubtreeText(const GumboNode* root, std::string_view article_body)
      : article_body_(text::collapse_spaces(without_tags(article_body))) {
    const Stats all = measure(root, false);
    total_prose_ = all.text - all.links;
    // The article: a <main> or articleBody, else the <article> with the most text. Not any
    // <article>: related-post and comment cards are <article>s too, and their containers are
    // chrome.
    const GumboNode* article = first_main_ != nullptr ? first_main_ : largest_article_;
    // No markup names the article: the best-scoring subtree of paragraphs is taken for it.
    if (article == nullptr) article = find_scored_article();
    for (const GumboNode* n = article; n != nullptr; n = n->parent)
      holders_.insert(n);
  }

  // Is the element the article as scored (or a sibling that continues it), on a page with no
  // <article>, <main> or articleBody?
  bool is_scored_article(const GumboNode* node) const { return scored_roots_.contains(node); }
  bool article_is_scored() const { return !scored_roots_.empty(); }

  // Does the element hold the article, or most of the page's prose with few links?
  bool holds_article(const GumboNode* node) const {
    if (holders_.contains(node)) return true;
    const Stats s = stats_of(node);
    return holds_most_prose(s) && s.links * 4 < s.text;
  }

  // Does the element hold the article, or most of the page's prose however many links are
  // around it (a page wrapped in one <form> with its menus)?
  bool wraps_article(const GumboNode* node) const {
    return holders_.contains(node) || holds_most_prose(stats_of(node));
  }

  size_t text_bytes(const GumboNode* node) const { return stats_of(node).text; }

 private:
  struct Stats {
    size_t text = 0;
    size_t links = 0;   // of text, inside <a>
    size_t commas = 0;  // ',' '،' '、' '，' in text: prose has them, lists of links do not
  };

  // Some sites put the body's HTML in articleBody: its tags are spaces.
  static std::string without_tags(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool in_tag = false;
    for (const char c : text) {
      if (c == '<') in_tag = true;
      if (!in_tag) out += c;
      if (c == '>' && in_tag) {
        in_tag = false;
        out += ' ';
      }
    }
    return out;
  }

  // Does the paragraph's opening (its first 60 bytes, whole characters) appear in the JSON-LD
  // articleBody?
  bool in_article_body(const GumboNode* paragraph) const {
    if (article_body_.empty()) return false;
    const std::string text = text::collapse_spaces(node_text(paragraph));
    size_t end = std::min<size_t>(text.size(), 60);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;  // not inside a character
    return end >= kMinScoredParagraph / 2 &&
           article_body_.find(std::string_view(text).substr(0, end)) != std::string::npos;
  }

  Stats stats_of(const GumboNode* node) const {
    const auto it = stats_.find(node);
    return it == stats_.end() ? Stats{} : it->second;
  }

  bool holds_most_prose(const Stats& s) const {
    const size_t prose = s.text - s.links;
    return prose > 0 && prose * 2 >= total_prose_;
  }

  // A paragraph as the scoring counts it: its own text, not a container of other blocks.
  static bool is_scored_paragraph(GumboTag tag) {
    return tag == GUMBO_TAG_P || tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_TD ||
           tag == GUMBO_TAG_BLOCKQUOTE;
  }

  static size_t count_commas(std::string_view text) {
    size_t n = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == ',') ++n;
      if (text.substr(i, 2) == "\xD8\x8C" || text.substr(i, 3) == "\xE3\x80\x81" ||
          text.substr(i, 3) == "\xEF\xBC\x8C")
        ++n;
    }
    return n;
  }

  // What an element's tag and class say of it before its paragraphs are counted.
  static double prior(const GumboNode* node) {
    double score = 0;
    switch (node->v.element.tag) {
      case GUMBO_TAG_DIV:
      case GUMBO_TAG_SECTION:
        score = 5;
        break;
      case GUMBO_TAG_PRE:
      case GUMBO_TAG_TD:
      case GUMBO_TAG_BLOCKQUOTE:
        score = 3;
        break;
      case GUMBO_TAG_UL:
      case GUMBO_TAG_OL:
      case GUMBO_TAG_LI:
      case GUMBO_TAG_FORM:
        score = -3;
        break;
      default:
        break;
    }
    if (has_chrome_class(node)) score -= 25;
    return score;
  }

  // Every paragraph of 25 bytes or more scores 1, one per comma and one per 100 bytes (up to
  // 3), for its parent, half for its grandparent and less further up; each container's score
  // is then cut by the share of its text inside links. The best container is the article,
  // with those of its siblings that score at least a fifth of it (an article split into
  // several <div>s) and its sibling paragraphs of prose.
  const GumboNode* find_scored_article() {
    std::unordered_map<const GumboNode*, double> scores;
    for (const GumboNode* paragraph : paragraphs_) {
      const Stats& p = stats_.at(paragraph);
      if (p.text < kMinScoredParagraph) continue;
      double points =
          1.0 + static_cast<double>(p.commas) + std::min(3.0, static_cast<double>(p.text) / 100);
      // The page's own JSON-LD says what its article's text is.
      if (in_article_body(paragraph)) points *= kArticleBodyWeight;
      const GumboNode* ancestor = paragraph->parent;
      for (int level = 0; level < 5 && ancestor != nullptr && ancestor->type == GUMBO_NODE_ELEMENT;
           ++level, ancestor = ancestor->parent) {
        auto [it, inserted] = scores.try_emplace(ancestor, 0.0);
        if (inserted) it->second = prior(ancestor);
        it->second += points / (level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0);
      }
    }
    const auto final_score = [&](const GumboNode* node) {
      const auto it = scores.find(node);
      if (it == scores.end()) return 0.0;
      const Stats& s = stats_.at(node);
      const double link_share =
          s.text == 0 ? 0.0 : static_cast<double>(s.links) / static_cast<double>(s.text);
      return it->second * (1.0 - link_share);
    };
    const GumboNode* top = nullptr;
    double best = 0;
    for (const auto& [node, ignored] : scores) {
      const double score = final_score(node);
      // Ties go to the earlier element, so that the choice does not depend on the hash order.
      if (score > best || (score == best && top != nullptr &&
                           node->v.element.start_pos.offset < top->v.element.start_pos.offset)) {
        best = score;
        top = node;
      }
    }
    if (top == nullptr || top->v.element.tag == GUMBO_TAG_BODY ||
        top->v.element.tag == GUMBO_TAG_HTML || top->parent == nullptr)
      return nullptr;
    scored_roots_.insert(top);
    const double sibling_floor = std::max(10.0, best * 0.2);
    const GumboVector& siblings = top->parent->type == GUMBO_NODE_DOCUMENT
                                      ? top->parent->v.document.children
                                      : top->parent->v.element.children;
    for (unsigned i = 0; i < siblings.length; ++i) {
      const auto* sibling = static_cast<const GumboNode*>(siblings.data[i]);
      if (sibling == top || sibling->type != GUMBO_NODE_ELEMENT) continue;
      const auto it = stats_.find(sibling);
      if (it == stats_.end()) continue;
      const Stats& s = it->second;
      const bool prose =
          sibling->v.element.tag == GUMBO_TAG_P && s.text > 80 && s.links * 4 < s.text;
      if (prose || final_score(sibling) >= sibling_floor) scored_roots_.insert(sibling);
    }
    return top;
  }

  Stats measure(const GumboNode* node, bool in_link) {
    Stats out;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
      const std::string_view text(node->v.text.text);
      out.text = text.size();
      out.links = in_link ? out.text : 0;
      out.commas = count_commas(text);
      return out;
    }
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT) return out;
    const GumboVector* children =
        node->type == GUMBO_NODE_DOCUMENT ? &node->v.document.children : &node->v.element.children;
    GumboTag tag = GUMBO_TAG_UNKNOWN;
    if (node->type == GUMBO_NODE_ELEMENT) {
      tag = node->v.element.tag;
      if (is_skipped(tag)) return out;
      in_link |= tag == GUMBO_TAG_A;
      if (first_main_ == nullptr &&
          (tag == GUMBO_TAG_MAIN || attribute(node, "itemprop") == "articleBody"))
        first_main_ = node;
    }
    for (unsigned i = 0; i < children->length; ++i) {
      const Stats child = measure(static_cast<const GumboNode*>(children->data[i]), in_link);
      out.text += child.text;
      out.links += child.links;
      out.commas += child.commas;
    }
    if (node->type == GUMBO_NODE_ELEMENT) {
      stats_[node] = out;
      if (is_scored_paragraph(tag)) paragraphs_.push_back(node);
      if (tag == GUMBO_TAG_ARTICLE && out.text > largest_article_text_) {
        largest_article_ = node;
        largest_article_text_ = out.text;
      }
    }
    return out;
  }

  std::string article_body_;
  std::unordered_map<const GumboNode*, Stats> stats_;
  std::unordered_set<const GumboNode*> holders_;
  std::unordered_set<const GumboNode*> scored_roots_;
  std::vector<const GumboNode*> paragraphs_;
  const GumboNode* first_main_ = nullptr;
  const GumboNode* largest_article_ = nullptr;
  size_t largest_article_text_ = 0;
  size_t total_prose_ = 0;
};

// Collects the page's text as blocks, each tagged with what the cleaner needs to judge it.
class BlockCollector {
 public:
  explicit BlockCollector(const SubtreeText& subtree) : subtree_(subtree) {}

  void collect(const GumboNode* root) {
    visit(root, Context{});
    flush();
    const bool has_main = std::any_of(in_main_.begin(), in_main_.end(), [](bool b) { return b; });
    if (!has_main) return;
    for (size_t i = 0; i < blocks_.size(); ++i) {
      if (in_main_[i]) continue;
      // With an <article>, whatever lies outside it is chrome. The article as scored is a
      // guess: outside it only short lines are (labels, teasers, breadcrumbs); paragraphs
      // may be the article's own, split across containers.
      blocks_[i].in_page_chrome |=
          !subtree_.article_is_scored() ||
          text::count_words(std::string_view(text_).substr(
              blocks_[i].begin, blocks_[i].end - blocks_[i].begin)) <= kMaxWordsOutsideScored;
    }
  }
  std::string take_text() { return std::move(text_); }
  std::vector<SourceBlock> take_blocks() { return std::move(blocks_); }
  bool empty() const { return blocks_.empty(); }

 private:
  struct Context {
    bool in_link = false;
    bool in_chrome = false;
    bool in_main = false;
    bool in_caption = false;
    bool in_author = false;
  };

  void visit(const GumboNode* node, Context context) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
        node->type == GUMBO_NODE_WHITESPACE) {
      append(node->v.text.text, context);
      return;
    }
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT) return;
    const GumboVector* children =
        node->type == GUMBO_NODE_DOCUMENT ? &node->v.document.children : &node->v.element.children;
    SourceBlock::Kind kind = current_kind_;
    bool block = false;
    if (node->type == GUMBO_NODE_ELEMENT) {
      const GumboTag tag = node->v.element.tag;
      if (is_skipped(tag)) return;
      if (tag == GUMBO_TAG_BR) {
        flush();
        return;
      }
      context.in_link |= tag == GUMBO_TAG_A;
      context.in_main |= tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN ||
                         subtree_.is_scored_article(node) ||
                         attribute(node, "itemprop") == "articleBody";
      // A <header> inside the article holds its headline; its <aside>s and <footer> are
      // chrome, as outside it.
      context.in_chrome |= (is_chrome_tag(tag) && (!context.in_main || tag != GUMBO_TAG_HEADER) &&
                            !subtree_.holds_article(node)) ||
                           chrome_by_class(node, tag);
      context.in_caption |=
          is_small_part(node, tag) && (tag == GUMBO_TAG_FIGCAPTION ||
                                       has_any_class_word(node, {"caption", "credit", "credits"}));
      context.in_author |= is_small_part(node, tag) &&
                           has_any_class_word(node, {"author", "authors", "byline", "bio"});
      // ASP.NET and some CMSs wrap the whole page in one <form>; any other form is a search
      // box, a login or a newsletter sign-up.
      context.in_chrome |= tag == GUMBO_TAG_FORM && !subtree_.wraps_article(node);
      block = is_block(tag, kind);
    }
    const SourceBlock::Kind saved = current_kind_;
    if (block) {
      flush();
      current_kind_ = kind;
    }
    for (unsigned i = 0; i < children->length; ++i) {
      visit(static_cast<const GumboNode*>(children->data[i]), context);
    }
    if (block) {
      flush();
      current_kind_ = saved;
    }
  }

  bool chrome_by_class(const GumboNode* node, GumboTag tag) const {
    if (tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BODY) return false;
    return has_chrome_class(node) && !subtree_.holds_article(node);
  }

  // Captions and author boxes are small parts of a page, never the article or a wrapper of it:
  // themes put such words on <body> («caption-dark») and on article columns («author-column»).
  bool is_small_part(const GumboNode* node, GumboTag tag) const {
    return tag != GUMBO_TAG_HTML && tag != GUMBO_TAG_BODY && !subtree_.holds_article(node) &&
           subtree_.text_bytes(node) <= kMaxCaptionOrAuthorBytes;
  }

  void append(std::string_view s, const Context& context) {
    size_t i = 0;
    while (i < s.size()) {
      const size_t start = i;
      const int32_t c = text::next_code_point(s, i);
      if (c >= 0 && text::is_space(static_cast<char32_t>(c))) {
        pending_space_ = !current_.empty();
        continue;
      }
      if (current_.empty()) {
        block_context_ = context;
        block_kind_ = current_kind_;
      }
      // A caption or author block only when all of its text is: a dateline or an author's name
      // in a <span> at the start of a paragraph does not make the paragraph one.
      block_context_.in_caption &= context.in_caption;
      block_context_.in_author &= context.in_author;
      if (pending_space_) {
        current_ += ' ';
        if (context.in_link) ++link_bytes_;
        pending_space_ = false;
      }
      current_.append(s.substr(start, i - start));
      if (context.in_link) link_bytes_ += i - start;
    }
  }

  void flush() {
    if (!current_.empty()) {
      if (!text_.empty()) text_ += '\n';
      SourceBlock block;
      block.begin = text_.size();
      text_ += current_;
      block.end = text_.size();
      block.kind = block_context_.in_caption  ? SourceBlock::Kind::kCaption
                   : block_context_.in_author ? SourceBlock::Kind::kAuthor
                                              : block_kind_;
      block.link_bytes = link_bytes_;
      block.in_page_chrome = block_context_.in_chrome;
      blocks_.push_back(block);
      in_main_.push_back(block_context_.in_main);
    }
    current_.clear();
    link_bytes_ = 0;
    pending_space_ = false;
  }

  const SubtreeText& subtree_;
  std::string text_;
  std::vector<SourceBlock> blocks_;
  std::vector<bool> in_main_;
  std::string current_;
  size_t link_bytes_ = 0;
  bool pending_space_ = false;
  Context block_context_;
  SourceBlock::Kind block_kind_ = SourceBlock::Kind::kParagraph;
  SourceBlock::Kind current_kind_ = SourceBlock::Kind::kParagraph;
};

std::string node_text(const GumboNode* node) {
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
      node->type == GUMBO_NODE_WHITESPACE) {
    return node->v.text.text;
  }
  if (node->type != GUMBO_NODE_ELEMENT) return {};
  std::string out;
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    out += node_text(static_cast<const GumboNode*>(children.data[i]));
  }
  return out;
}

// Metadata the page states about itself.
struct PageMetadata {
  std::string og_title, twitter_title, title_element, first_h1;
  std::string site_name, og_url, canonical, lang;
  std::vector<std::pair<std::string, std::string>> date_candidates;  // (where, value)
  std::string article_body;                                          // JSON-LD articleBody

  void collect(const GumboNode* node) {
    if (node->type != GUMBO_NODE_ELEMENT) return;
    const GumboTag tag = node->v.element.tag;
    switch (tag) {
      case GUMBO_TAG_HTML:
        lang = attribute(node, "lang");
        break;
      case GUMBO_TAG_TITLE:
        if (title_element.empty()) title_element = text::collapse_spaces(node_text(node));
        break;
      case GUMBO_TAG_H1:
        if (first_h1.empty()) first_h1 = text::collapse_spaces(node_text(node));
        break;
      case GUMBO_TAG_META:
        collect_meta(node);
        break;
      case GUMBO_TAG_LINK:
        if (text::ascii_lower(attribute(node, "rel")) == "canonical")
          canonical = attribute(node, "href");
        break;
      case GUMBO_TAG_TIME:
        if (gumbo_get_attribute(&node->v.element.attributes, "pubdate") != nullptr ||
            attribute(node, "itemprop") == "datePublished") {
          date_candidates.emplace_back("<time datetime>", attribute(node, "datetime"));
        }
        break;
      case GUMBO_TAG_SCRIPT:
        if (text::ascii_lower(attribute(node, "type")) == "application/ld+json") {
          collect_json_ld(node_text(node));
        }
        return;
      default:
        break;
    }
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      collect(static_cast<const GumboNode*>(children.data[i]));
    }
  }

  void collect_meta(const GumboNode* node) {
    const std::string key =
        text::ascii_lower(!attribute(node, "property").empty() ? attribute(node, "property")
                          : !attribute(node, "name").empty()   ? attribute(node, "name")
                                                               : attribute(node, "itemprop"));
    const std::string content(attribute(node, "content"));
    if (key.empty() || content.empty()) return;
    if (key == "og:title") og_title = text::collapse_spaces(content);
    if (key == "twitter:title") twitter_title = text::collapse_spaces(content);
    if (key == "og:site_name") site_name = text::collapse_spaces(content);
    if (key == "og:url") og_url = content;
    static constexpr std::array<std::string_view, 13> kDateKeys = {"article:published_time",
                                                                   "og:article:published_time",
                                                                   "og:published_time",
                                                                   "datepublished",
                                                                   "pubdate",
                                                                   "publishdate",
                                                                   "publish-date",
                                                                   "dc.date.issued",
                                                                   "dc.date",
                                                                   "dcterms.created",
                                                                   "sailthru.date",
                                                                   "parsely-pub-date",
                                                                   "date"};
    if (std::find(kDateKeys.begin(), kDateKeys.end(), key) != kDateKeys.end()) {
      date_candidates.emplace_back("<meta " + key + ">", content);
    }
  }

  void collect_json_ld(const std::string& source) {
    if (text::json_too_deep(source)) return;  // no date worth a crash: the page goes in without it
    const nlohmann::json parsed =
        nlohmann::json::parse(source, nullptr, /*allow_exceptions=*/false);
    find_date_and_body(parsed);
  }

  void find_date_and_body(const nlohmann::json& value) {
    if (value.is_array()) {
      for (const auto& item : value)
        find_date_and_body(item);
    } else if (value.is_object()) {
      const auto date = value.find("datePublished");
      if (date != value.end() && date->is_string()) {
        date_candidates.emplace_back("JSON-LD datePublished", date->get<std::string>());
      }
      const auto body = value.find("articleBody");
      if (body != value.end() && body->is_string() &&
          body->get_ref<const std::string&>().size() > article_body.size())
        article_body = body->get<std::string>();
      const auto graph = value.find("@graph");
      if (graph != value.end()) find_date_and_body(*graph);
    }
  }

  // <title> often reads "Headline | Outlet"; the outlet part is not the headline.
  std::string title() const {
    if (!og_title.empty()) return og_title;
    if (!twitter_title.empty()) return twitter_title;
    if (!title_element.empty()) return strip_site_suffix(title_element);
    return first_h1;
  }

  std::string strip_site_suffix(const std::string& title) const {
    for (std::string_view separator : {" | ", " - ", " – ", " — "}) {
      const size_t at = title.rfind(separator);
      if (at == std::string::npos || at == 0) continue;
      const std::string_view suffix = std::string_view(title).substr(at + separator.size());
      if (suffix == site_name || text::count_words(suffix) <= 4) return title.substr(0, at);
    }
    return title;
  }
};

// The charset a page declares before its bytes can be decoded: the HTML standard's prescan,
// simplified to what outlets write. The charset a <meta> names, <meta charset="…"> or
// <meta http-equiv content="…; charset=…">. Only <meta>: a <script charset="utf-8"> before it says
// nothing of the page. Browsers look further than the spec's first 1024 bytes (they re-read when
// the parser meets the <meta>), and pages with long scripts in their <head> put it later.
std::string prescan_charset(std::string_view head) {
  const std::string lowered = text::ascii_lower(head.substr(0, 16 * 1024));
  for (size_t meta = lowered.find("<meta"); meta != std::string::npos;
       meta = lowered.find("<meta", meta + 5)) {
    const size_t after = meta + 5;
    if (after >= lowered.size() ||
        !(std::isspace(static_cast<unsigned char>(lowered[after])) || lowered[after] == '/'))
      continue;  // <metadata>, not <meta>
    // A tag cut at the end of the window would give a cut name ("windows-125").
    const size_t tag_end = lowered.find('>', meta);
    if (tag_end == std::string::npos) break;
    const size_t at = lowered.find("charset=", meta);
    if (at == std::string::npos || at > tag_end) continue;
    size_t begin = at + 8;
    while (begin < tag_end &&
           (lowered[begin] == '"' || lowered[begin] == '\'' || lowered[begin] == ' '))
      ++begin;
    size_t end = begin;
    while (end < tag_end &&
           (std::isalnum(static_cast<unsigned char>(lowered[end])) || lowered[end] == '-' ||
            lowered[end] == '_' || lowered[end] == ':' || lowered[end] == '.')) {
      ++end;
    }
    if (end > begin) return lowered.substr(begin, end - begin);
  }
  return {};
}

}  // namespace

// The depth of gumbo's tree, walked without recursion. The scan before parsing estimates it;
// the parser's repairs (formatting elements reopened, misnested tables) can nest deeper than
// the tags say, and the walks below recurse.
size_t tree_depth(const GumboNode* root) {
  size_t deepest = 0;
  std::vector<std::pair<const GumboNode*, size_t>> pending = {{root, 1}};
  while (!pending.empty()) {
    const auto [node, depth] = pending.back();
    pending.pop_back();
    deepest = std::max(deepest, depth);
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT &&
        node->type != GUMBO_NODE_TEMPLATE) {
      continue;
    }
    const GumboVector& children =
        node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i)
      pending.emplace_back(static_cast<const GumboNode*>(children.data[i]), depth + 1);
  }
  return deepest;
}

void read_html(std::string_view bytes, std::string_view path, const ReadOptions& options,
               DocumentSink& sink) {
  DecodedText decoded;
  InputError error;
  const std::string declared = prescan_charset(bytes);
  if (!decode_to_utf8(bytes, options.encoding, declared, decoded, error)) {
    // A web page in UTF-8 with a few bad bytes (a pasted quote, a cut sequence) is read with
    // them replaced, and a warning: browsers show such pages, and rejecting them lost articles.
    // UTF-8 as named, or as the page's other characters show (more valid sequences than
    // broken ones): a page in windows-1252 has none, and is better refused with the hint.
    size_t replaced = 0, multibyte = 0;
    const bool may_be_utf8 = !is_wide_encoding(options.encoding, bytes) &&
                             (options.encoding == "auto" || names_utf8(options.encoding)) &&
                             (declared.empty() || names_utf8(declared));
    std::string repaired =
        may_be_utf8 ? utf8_with_replacement(bytes, replaced, multibyte) : std::string();
    const bool named_utf8 = names_utf8(options.encoding) || names_utf8(declared);
    if (!may_be_utf8 || replaced > std::max<size_t>(16, bytes.size() / 1000) ||
        (!named_utf8 && multibyte <= replaced)) {
      sink.problem(reject(path, 0, error.byte_offset, error.reason));
      return;
    }
    sink.problem({Problem::Severity::kWarning, std::string(path), 0, error.byte_offset,
                  fmt::format("{} invalid UTF-8 sequence{} replaced with U+FFFD", replaced,
                              replaced == 1 ? "" : "s")});
    decoded.utf8 = std::move(repaired);
    decoded.encoding = "utf-8";
  }
  // Stray NUL bytes (padding after an image tag, a bad copy) are dropped as browsers drop them;
  // the text must not carry them (PostgreSQL cuts text at the first). Many make a binary file.
  // Dropped after decoding, so that the offsets of encoding errors are the file's.
  if (const int64_t nul = find_nul_byte(decoded.utf8, decoded.utf8.size()); nul >= 0) {
    const size_t dropped = std::erase(decoded.utf8, '\0');
    if (dropped > kMaxNulBytesInPage) {
      sink.problem(
          reject(path, 0, nul, fmt::format("binary file ({} NUL bytes), not a web page", dropped)));
      return;
    }
    sink.problem({Problem::Severity::kWarning, std::string(path), 0, nul,
                  fmt::format("{} NUL byte{} dropped (first at byte {} of the page as UTF-8)",
                              dropped, dropped == 1 ? "" : "s", nul)});
  }
  if (const std::optional<size_t> at = text::html_too_deep(decoded.utf8)) {
    // gumbo's time grows with the square of the depth, and the walks below recurse.
    sink.problem(reject(path, 0, static_cast<int64_t>(*at),
                        fmt::format("HTML nested more than {} elements deep; no article is "
                                    "that deep (byte offset in the page as UTF-8)",
                                    text::kMaxHtmlDepth)));
    return;
  }
  BoundedGumbo parser(parse_budget(decoded.utf8.size()));
  const GumboOutput* output = parser.parse(decoded.utf8);
  if (output == nullptr) {
    sink.problem(reject(path, 0, -1,
                        fmt::format("the HTML parser needed more than {} MB for this page (markup "
                                    "that makes it copy and repair elements over and over)",
                                    parse_budget(decoded.utf8.size()) >> 20)));
    return;
  }
  if (const size_t depth = tree_depth(output->document); depth > text::kMaxHtmlDepth) {
    sink.problem(reject(path, 0, -1,
                        fmt::format("HTML nested {} elements deep once parsed, more than {}; no "
                                    "article is that deep",
                                    depth, text::kMaxHtmlDepth)));
    return;
  }
  PageMetadata metadata;
  metadata.collect(output->root);
  const SubtreeText subtree(output->document, metadata.article_body);
  BlockCollector collector(subtree);
  collector.collect(output->document);
  if (collector.empty()) {
    sink.problem(
        reject(path, 0, -1,
               fmt::format("no text found in the HTML ({} parse errors)", output->errors.length)));
    return;
  }
  Document doc;
  doc.text = collector.take_text();
  doc.blocks = collector.take_blocks();
  doc.title = metadata.title();
  doc.source = metadata.site_name;
  doc.url = !metadata.og_url.empty() ? metadata.og_url : metadata.canonical;
  doc.declared_lang = metadata.lang;
  for (const auto& [where, value] : metadata.date_candidates) {
    Result<std::string> date = parse_iso8601(text::trim(value));
    if (date.ok()) {
      doc.published = *date;
      break;
    }
    sink.problem(warn(path, 0, fmt::format("{} {}; ignored", where, date.error().message)));
  }
  doc.origin = std::string(path);
  doc.format = InputFormat::kHtml;
  doc.encoding = decoded.encoding;
  sink.document(std::move(doc));
}

}  // namespace khabar::ingest_internal
