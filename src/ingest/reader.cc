#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "ingest/internal/readers.h"
#include "khabar/ingest.h"
#include "text/utf8.h"

namespace khabar {

namespace fs = std::filesystem;
using ingest_internal::DecodedText;
using ingest_internal::Input;
using ingest_internal::InputError;
using ingest_internal::reject;

Result<InputFormat> parse_input_format(std::string_view name) {
  if (name == "auto") return InputFormat::kAuto;
  if (name == "text" || name == "txt") return InputFormat::kText;
  if (name == "jsonl" || name == "ndjson") return InputFormat::kJsonl;
  if (name == "html") return InputFormat::kHtml;
  if (name == "warc") return InputFormat::kWarc;
  if (name == "feed" || name == "rss" || name == "atom") return InputFormat::kFeed;
  return make_error(
      ErrorCode::kInvalidArgument,
      fmt::format("unknown format «{}»: expected auto, text, jsonl, html, warc or feed", name));
}

const char* input_format_name(InputFormat format) {
  switch (format) {
    case InputFormat::kAuto:
      return "auto";
    case InputFormat::kText:
      return "text";
    case InputFormat::kJsonl:
      return "jsonl";
    case InputFormat::kHtml:
      return "html";
    case InputFormat::kWarc:
      return "warc";
    case InputFormat::kFeed:
      return "feed";
  }
  return "auto";
}

std::string Problem::to_string() const {
  std::string out = path;
  if (line > 0) out += fmt::format(":{}", line);
  if (byte_offset >= 0) out += fmt::format(": byte {}", byte_offset);
  out += ": ";
  out += reason;
  return out;
}

namespace ingest_internal {

Problem reject(std::string_view path, size_t line, int64_t byte_offset, std::string reason) {
  return Problem{Problem::Severity::kRejected, std::string(path), line, byte_offset,
                 std::move(reason)};
}

Problem warn(std::string_view path, size_t line, std::string reason) {
  return Problem{Problem::Severity::kWarning, std::string(path), line, -1, std::move(reason)};
}

}  // namespace ingest_internal

namespace {

constexpr std::string_view kGzipMagic = "\x1f\x8b";

InputFormat format_from_extension(std::string_view path) {
  const std::string lowered = text::ascii_lower(path);
  if (lowered.ends_with(".warc") || lowered.ends_with(".warc.gz")) return InputFormat::kWarc;
  const std::string ext = text::ascii_lower(fs::path(path).extension().string());
  if (ext == ".txt" || ext == ".text") return InputFormat::kText;
  if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") return InputFormat::kJsonl;
  if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return InputFormat::kHtml;
  if (ext == ".rss" || ext == ".atom" || ext == ".xml") return InputFormat::kFeed;
  return InputFormat::kAuto;
}

InputFormat format_from_content(std::string_view head) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  const text::Span trimmed = text::trim_span(head);
  const std::string_view start = head.substr(trimmed.begin, 256);
  if (start.empty()) return InputFormat::kText;
  if (start.front() == '{' || start.front() == '[') return InputFormat::kJsonl;
  if (start.front() == '<') {
    const std::string lowered = text::ascii_lower(start);
    for (std::string_view marker : {"<rss", "<feed", "<rdf:rdf"}) {
      if (lowered.find(marker) != std::string::npos) return InputFormat::kFeed;
    }
    for (std::string_view marker :
         {"<!doctype html", "<html", "<head", "<body", "<meta", "<p", "<div", "<article", "<!--"}) {
      if (lowered.find(marker) != std::string::npos) return InputFormat::kHtml;
    }
  }
  return InputFormat::kText;
}

void read_input(Input& input, std::string_view path, const ReadOptions& options,
                DocumentSink& sink) {
  const std::string_view head = input.peek(64 * 1024);
  if (head.empty()) {
    sink.problem(reject(path, 0, -1, input.read_failed() ? "could not be read" : "empty file"));
    return;
  }
  InputFormat format = options.format;
  if (format == InputFormat::kAuto) format = format_from_extension(path);
  // Compressed input: a web archive gzipped record by record, or nothing khabar reads.
  if (head.starts_with(kGzipMagic)) {
    if (format == InputFormat::kAuto || format == InputFormat::kWarc) {
      ingest_internal::read_warc(input, path, options, /*gzipped=*/true, sink);
    } else {
      sink.problem(reject(path, 0, 0, "gzip-compressed; khabar reads .warc.gz, or decompress it"));
    }
    return;
  }
  // A web archive's blocks may hold binary payloads: it is read record by record.
  if (format == InputFormat::kAuto && head.starts_with("WARC/1.")) format = InputFormat::kWarc;
  if (format == InputFormat::kWarc) {
    ingest_internal::read_warc(input, path, options, /*gzipped=*/false, sink);
    return;
  }
  if (format == InputFormat::kAuto) format = format_from_content(head);
  // UTF-16 and UTF-32 hold NUL bytes in every ASCII character: named, they are not binary.
  if (!ingest_internal::is_wide_encoding(options.encoding, head)) {
    if (const int64_t nul = ingest_internal::find_nul_byte(head); nul >= 0) {
      // A web page with a few stray NUL bytes is still a page: browsers drop them, and so does
      // the HTML reader. Many of them make a binary file.
      if (format != InputFormat::kHtml ||
          static_cast<size_t>(std::count(head.begin(), head.end(), '\0')) >
              ingest_internal::kMaxNulBytesInPage) {
        sink.problem(reject(path, 0, nul, "binary file (NUL byte), not text"));
        return;
      }
    }
  }
  if (format == InputFormat::kJsonl) {
    ingest_internal::read_jsonl(input, path, options, sink);
    return;
  }
  std::string bytes;
  uint64_t size_seen = 0;
  // A feed holds many articles, each bounded by the article limit when read.
  const size_t article_limit = std::min(options.max_article_bytes, kLargestMaxArticleBytes);
  const size_t limit = format == InputFormat::kFeed ? article_limit * kFeedArticles : article_limit;
  if (!input.read_all(bytes, limit, size_seen)) {
    sink.problem(reject(path, 0, -1,
                        format == InputFormat::kFeed
                            ? fmt::format("more than {} bytes, over the size limit for a feed ({} "
                                          "times the article size limit, --max-article-bytes)",
                                          limit, kFeedArticles)
                            : fmt::format("more than {} bytes, over the article size limit "
                                          "(--max-article-bytes)",
                                          limit)));
    return;
  }
  if (input.read_failed()) {
    sink.problem(reject(path, 0, static_cast<int64_t>(bytes.size()), "read error"));
    return;
  }
  if (format == InputFormat::kHtml) {
    ingest_internal::read_html(bytes, path, options, sink);
    return;
  }
  if (format == InputFormat::kFeed) {
    ingest_internal::read_feed(bytes, path, options, sink);
    return;
  }
  DecodedText decoded;
  InputError error;
  if (!ingest_internal::decode_to_utf8(bytes, options.encoding, "", decoded, error)) {
    sink.problem(reject(path, 0, error.byte_offset, error.reason));
    return;
  }
  ingest_internal::read_text(std::move(decoded), path, sink);
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

void read_file(const fs::path& path, const ReadOptions& options, DocumentSink& sink) {
  const std::string name = path.string();
  std::error_code ec;
  sink.begin_file(name, fs::file_size(path, ec));
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(name.c_str(), "rb"));
  if (!file) {
    sink.problem(reject(name, 0, -1, fmt::format("cannot open: {}", std::strerror(errno))));
    return;
  }
  Input input(file.get());
  read_input(input, name, options, sink);
}

bool is_article_extension(const fs::path& path) {
  return format_from_extension(path.string()) != InputFormat::kAuto;
}

// A directory by device and inode: the same directory reached twice, through a symlink loop or
// two links, is read once.
using DirectoryKey = std::pair<dev_t, ino_t>;

std::optional<DirectoryKey> directory_key(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return DirectoryKey{info.st_dev, info.st_ino};
}

// Calls on_file for each regular file under `root` with an article extension, in name order.
// Unreadable entries and other files are reported, so nothing is dropped silently.
template <typename OnFile>
void walk_directory(const fs::path& root, DocumentSink& sink, std::set<DirectoryKey>& seen,
                    OnFile on_file) {
  if (const std::optional<DirectoryKey> key = directory_key(root)) {
    if (!seen.insert(*key).second) {
      sink.problem({Problem::Severity::kSkipped, root.string(), 0, -1,
                    "a directory already read through another path (a symlink loop?)"});
      return;
    }
  }
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(*it);
  }
  if (ec) {
    sink.problem(reject(root.string(), 0, -1, fmt::format("cannot list: {}", ec.message())));
    return;
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path() < b.path(); });
  for (const fs::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().string();
    if (!name.empty() && name.front() == '.') continue;  // hidden files and folders
    if (entry.is_directory(ec)) {
      walk_directory(entry.path(), sink, seen, on_file);
    } else if (!entry.is_regular_file(ec)) {
      // Opening a pipe would wait for a writer; a broken link has nothing to read.
      sink.problem({Problem::Severity::kSkipped, entry.path().string(), 0, -1,
                    entry.is_symlink(ec) && !entry.exists(ec)
                        ? "a broken symbolic link"
                        : "not a regular file (a pipe, socket or device)"});
    } else if (!is_article_extension(entry.path())) {
      sink.problem(
          {Problem::Severity::kSkipped, entry.path().string(), 0, -1,
           "not an article file (extension not .txt, .jsonl, .json, .ndjson, .html, .warc, "
           ".warc.gz, .rss, .atom or .xml)"});
    } else {
      on_file(entry.path());
    }
  }
}

template <typename OnFile>
void walk_directory(const fs::path& root, DocumentSink& sink, OnFile on_file) {
  std::set<DirectoryKey> seen;
  walk_directory(root, sink, seen, on_file);
}

class NullSink : public DocumentSink {
 public:
  void document(Document) override {}
  void problem(Problem) override {}
};

}  // namespace

void read_buffer(std::string_view bytes, std::string_view path, const ReadOptions& options,
                 DocumentSink& sink) {
  Input input(bytes);
  read_input(input, path, options, sink);
}

void read_paths(const std::vector<std::string>& paths, const ReadOptions& options,
                DocumentSink& sink) {
  for (const std::string& name : paths) {
    if (name == "-") {
      sink.begin_file("<stdin>", 0);
      Input input(stdin);
      read_input(input, "<stdin>", options, sink);
      continue;
    }
    // «./a.txt» and «a.txt» are one file, and one sighting of its articles.
    const fs::path path = fs::path(name).lexically_normal();
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      sink.problem(reject(name, 0, -1, "no such file or directory"));
    } else if (fs::is_directory(status)) {
      walk_directory(path, sink, [&](const fs::path& file) { read_file(file, options, sink); });
    } else {
      read_file(path, options, sink);
    }
  }
}

uint64_t measure_paths(const std::vector<std::string>& paths) {
  uint64_t total = 0;
  NullSink ignore;
  for (const std::string& name : paths) {
    std::error_code ec;
    const fs::path path = fs::path(name).lexically_normal();
    if (name == "-") continue;
    if (fs::is_directory(path, ec)) {
      walk_directory(path, ignore, [&](const fs::path& file) { total += fs::file_size(file, ec); });
    } else {
      const uintmax_t size = fs::file_size(path, ec);
      if (!ec) total += size;
    }
  }
  return total;
}

}  // namespace khabar
