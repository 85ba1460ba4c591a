// An Extraction as bytes, stored with its article at ingest: story facts read it back instead
// of extracting every member again on each request, and stay consistent with the entity
// mentions linked from the same extraction when the rules change.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <unordered_map>

#include "khabar/extract.h"
#include "text/bytes.h"
#include "text/utf8.h"

namespace khabar {
namespace {

// Names the layout below; bytes of another layout are not read.
constexpr uint32_t kFormat = 0x6b780003;  // "kx", version 3

// Numbers are LEB128 varints and strings indices into a table written first: an article names
// one person or sentence many times (its mentions, counts, events and timeline), and most
// numbers are small. A string of the table that the article's text holds (a quote, a
// sentence) is written as where it is: reported speech alone is most of what an extraction
// says, and it would otherwise double the store.
constexpr size_t kShortestReference = 8;
void append_number(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

class Writer {
 public:
  explicit Writer(std::string_view text) : text_(text) {}
  void number(uint64_t v) { append_number(fields_, v); }
  void text(std::string_view s) {
    const auto [it, added] = index_.try_emplace(s, table_.size());
    if (added) table_.push_back(s);
    number(it->second);
  }
  void span(ByteSpan s) {
    number(s.begin);
    number(s.end - s.begin);
  }
  void index(int i) { number(static_cast<uint64_t>(static_cast<int64_t>(i) + 1)); }
  void flag(bool b) { number(b ? 1 : 0); }
  void count(size_t n) { number(n); }
  void word(uint32_t v) { number(v); }
  void real(double v) {
    char bytes[sizeof v];
    std::memcpy(bytes, &v, sizeof v);
    fields_.append(bytes, sizeof v);
  }

  // The format, the string table, then the fields.
  std::string finish() const {
    std::string out;
    text::ByteWriter(out).put(kFormat);
    append_number(out, table_.size());
    for (const std::string_view s : table_) {
      const size_t at = s.size() >= kShortestReference ? text_.find(s) : std::string_view::npos;
      append_number(out, (uint64_t{s.size()} << 1) | (at != std::string_view::npos ? 1 : 0));
      if (at != std::string_view::npos) {
        append_number(out, at);
      } else {
        out.append(s);
      }
    }
    return out + fields_;
  }

 private:
  std::string_view text_;
  std::string fields_;
  std::vector<std::string_view> table_;
  std::unordered_map<std::string_view, size_t> index_;
};

// Reads what Writer wrote, checking what later stages rely on: valid UTF-8, indices within
// the lists they point into, enums in range. Damaged bytes fail the reader, never a caller.
class Reader {
 public:
  // Strings may be copied out up to this many times what the bytes and the text hold: an
  // article names a person many times, but damaged bytes naming the whole body in every field
  // must not take the memory of a thousand bodies.
  static constexpr size_t kCopiedBytesPerInputByte = 64;

  Reader(std::string_view in, std::string_view text)
      : in_(in), text_(text), copy_budget_(kCopiedBytesPerInputByte * (in.size() + text.size())) {}

  bool start() {
    text::ByteReader header(in_);
    if (header.get<uint32_t>() != kFormat || !header.ok()) return false;
    in_ = header.rest();
    const size_t strings = count(1);
    table_.reserve(strings);
    for (size_t i = 0; i < strings && ok(); ++i) {
      const uint64_t tag = number();
      const uint64_t n = tag >> 1;
      std::string_view s;
      if ((tag & 1) != 0) {
        const uint64_t at = number();
        if (at > text_.size() || n > text_.size() - at) fail();
        if (!ok()) break;
        s = text_.substr(at, n);
      } else {
        if (n > in_.size()) fail();
        if (!ok()) break;
        s = in_.substr(0, n);
        in_.remove_prefix(n);
      }
      if (text::find_invalid_utf8(s) != text::kNoInvalidByte) fail();
      table_.push_back(s);
    }
    return ok();
  }
  uint64_t number() {
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) break;
      const auto byte = static_cast<unsigned char>(in_.front());
      in_.remove_prefix(1);
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    fail();
    return 0;
  }
  std::string text() {
    const uint64_t i = number();
    if (i >= table_.size() || table_[i].size() > copy_budget_) {
      fail();
      return {};
    }
    copy_budget_ -= table_[i].size();
    return std::string(table_[i]);
  }
  ByteSpan span() {
    const uint64_t begin = number();
    const uint64_t length = number();
    constexpr uint64_t kLargest = std::numeric_limits<size_t>::max();
    if (begin > kLargest || length > kLargest - begin) {
      fail();
      return {};
    }
    return {static_cast<size_t>(begin), static_cast<size_t>(begin + length)};
  }
  // An index into a list of `size`, or -1 for none.
  int index(size_t size) {
    const uint64_t i = number();
    if (i > size) {
      fail();
      return -1;
    }
    return static_cast<int>(i) - 1;
  }
  bool flag() {
    const uint64_t b = number();
    if (b > 1) fail();
    return b == 1;
  }
  // A count of things that take at least `bytes_each` bytes each: damaged bytes cannot ask for
  // more memory than what is left to read could fill.
  size_t count(size_t bytes_each) {
    const uint64_t n = number();
    if (n > in_.size() / bytes_each) {
      fail();
      return 0;
    }
    return static_cast<size_t>(n);
  }
  uint32_t word() {
    const uint64_t v = number();
    if (v > std::numeric_limits<uint32_t>::max()) fail();
    return static_cast<uint32_t>(v);
  }
  double real() {
    double v = 0;
    if (in_.size() < sizeof v) {
      fail();
      return 0;
    }
    std::memcpy(&v, in_.data(), sizeof v);
    in_.remove_prefix(sizeof v);
    if (!std::isfinite(v)) fail();  // a NaN would break the ordered sets counts are kept in
    return v;
  }
  void fail() {
    failed_ = true;
    in_ = {};
  }
  bool ok() const { return !failed_; }
  bool done() const { return !failed_ && in_.empty(); }

 private:
  std::string_view in_;
  std::string_view text_;
  size_t copy_budget_;
  std::vector<std::string_view> table_;
  bool failed_ = false;
};

constexpr size_t kEntityTypes = 3;
constexpr size_t kDatePrecisions = static_cast<size_t>(DatePrecision::kVague) + 1;

void put(Writer& w, const Mention& m) {
  w.word(static_cast<uint32_t>(m.type));
  for (const std::string* s :
       {&m.surface, &m.key, &m.gazetteer_id, &m.canonical, &m.role, &m.country, &m.evidence})
    w.text(*s);
  w.span(m.span);
  w.flag(m.in_title);
  w.flag(m.role_reference);
  w.flag(m.description);
}

Mention get_mention(Reader& r) {
  Mention m;
  const uint32_t type = r.word();
  m.type = static_cast<EntityType>(type < kEntityTypes ? type : 0);
  if (type >= kEntityTypes) r.fail();
  for (std::string* s :
       {&m.surface, &m.key, &m.gazetteer_id, &m.canonical, &m.role, &m.country, &m.evidence})
    *s = r.text();
  m.span = r.span();
  m.in_title = r.flag();
  m.role_reference = r.flag();
  m.description = r.flag();
  return m;
}

void put_indices(Writer& w, const std::vector<int>& indices) {
  w.count(indices.size());
  for (const int i : indices)
    w.index(i);
}

std::vector<int> get_indices(Reader& r, size_t size) {
  std::vector<int> out(r.count(1));
  for (int& i : out) {
    i = r.index(size);
    if (i < 0) r.fail();  // a list of indices holds no "none"
  }
  return out;
}

// Every list is written as its size and its items; a list's reader takes the smallest size an
// item can have, so that a damaged count cannot ask for more than the bytes could hold.
template <typename T, typename Put>
void put_list(Writer& w, const std::vector<T>& items, Put put_item) {
  w.count(items.size());
  for (const T& item : items)
    put_item(item);
}

template <typename T, typename Get>
std::vector<T> get_list(Reader& r, size_t min_bytes, Get get_item) {
  std::vector<T> out(r.count(min_bytes));
  for (T& item : out) {
    if (!r.ok()) break;
    item = get_item();
  }
  return out;
}

}  // namespace

std::string encode_extraction(const Extraction& x, std::string_view text) {
  Writer w(text);
  put_list(w, x.mentions, [&](const Mention& m) { put(w, m); });
  put_list(w, x.events, [&](const EventMention& e) {
    w.text(e.event);
    w.text(e.trigger);
    put_indices(w, e.mentions);
    w.text(e.sentence);
    w.span(e.span);
  });
  put_list(w, x.dates, [&](const DateFact& d) {
    for (const std::string* s :
         {&d.type, &d.value, &d.range_begin, &d.range_end, &d.basis, &d.surface})
      w.text(*s);
    w.word(static_cast<uint32_t>(d.precision));
    w.span(d.span);
  });
  put_list(w, x.counts, [&](const CountFact& c) {
    w.real(c.value);
    w.flag(c.approximate);
    for (const std::string* s : {&c.what, &c.noun, &c.event, &c.trigger, &c.sentence})
      w.text(*s);
    w.index(c.date);
    w.span(c.span);
  });
  put_list(w, x.quotes, [&](const Quote& q) {
    w.text(q.text);
    w.flag(q.direct);
    w.index(q.speaker);
    w.text(q.verb);
    w.span(q.span);
  });
  put_list(w, x.chains, [&](const SourceChain& c) {
    put_indices(w, c.sources);
    w.span(c.span);
  });
  put_list(w, x.framings, [&](const Framing& f) {
    w.text(f.phrase);
    w.text(f.key);
    w.index(f.speaker);
    w.span(f.span);
  });
  put_list(w, x.timeline, [&](const TimelineEntry& t) {
    w.index(t.date);
    w.text(t.sentence);
    w.span(t.span);
  });
  return w.finish();
}

std::optional<Extraction> decode_extraction(std::string_view bytes, std::string_view text) {
  Reader r(bytes, text);
  if (!r.start()) return std::nullopt;
  // The fewest bytes each kind of field takes: one a varint, eight a double.
  constexpr size_t kText = 1, kSpan = 2, kIndex = 1, kWord = 1, kFlag = 1;
  Extraction x;
  x.mentions =
      get_list<Mention>(r, kWord + 7 * kText + kSpan + 3 * kFlag, [&] { return get_mention(r); });
  const size_t mentions = x.mentions.size();
  x.events = get_list<EventMention>(r, 3 * kText + kWord + kSpan, [&] {
    EventMention e;
    e.event = r.text();
    e.trigger = r.text();
    e.mentions = get_indices(r, mentions);
    e.sentence = r.text();
    e.span = r.span();
    return e;
  });
  x.dates = get_list<DateFact>(r, 6 * kText + kWord + kSpan, [&] {
    DateFact d;
    for (std::string* s : {&d.type, &d.value, &d.range_begin, &d.range_end, &d.basis, &d.surface})
      *s = r.text();
    const uint32_t precision = r.word();
    if (precision >= kDatePrecisions) r.fail();
    d.precision = static_cast<DatePrecision>(precision < kDatePrecisions ? precision : 0);
    d.span = r.span();
    return d;
  });
  const size_t dates = x.dates.size();
  x.counts = get_list<CountFact>(r, sizeof(double) + kFlag + 5 * kText + kIndex + kSpan, [&] {
    CountFact c;
    c.value = r.real();
    c.approximate = r.flag();
    for (std::string* s : {&c.what, &c.noun, &c.event, &c.trigger, &c.sentence})
      *s = r.text();
    c.date = r.index(dates);
    c.span = r.span();
    return c;
  });
  x.quotes = get_list<Quote>(r, 2 * kText + kFlag + kIndex + kSpan, [&] {
    Quote q;
    q.text = r.text();
    q.direct = r.flag();
    q.speaker = r.index(mentions);
    q.verb = r.text();
    q.span = r.span();
    return q;
  });
  x.chains = get_list<SourceChain>(r, kWord + kSpan, [&] {
    SourceChain c;
    c.sources = get_indices(r, mentions);
    c.span = r.span();
    return c;
  });
  x.framings = get_list<Framing>(r, 2 * kText + kIndex + kSpan, [&] {
    Framing f;
    f.phrase = r.text();
    f.key = r.text();
    f.speaker = r.index(mentions);
    f.span = r.span();
    return f;
  });
  x.timeline = get_list<TimelineEntry>(r, kIndex + kText + kSpan, [&] {
    TimelineEntry t;
    t.date = r.index(dates);
    if (t.date < 0) r.fail();  // a timeline line is a dated sentence
    t.sentence = r.text();
    t.span = r.span();
    return t;
  });
  if (!r.done()) return std::nullopt;
  return x;
}

}  // namespace khabar
