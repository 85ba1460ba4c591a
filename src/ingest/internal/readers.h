// The per-format readers behind read_buffer and read_paths.
#pragma once

#include <string>
#include <string_view>

#include "ingest/internal/encoding.h"
#include "ingest/internal/input.h"
#include "khabar/ingest.h"

namespace khabar::ingest_internal {

// `path` names the source in messages; origins are "path" or "path:line".
void read_text(DecodedText decoded, std::string_view path, DocumentSink& sink);
void read_html(std::string_view bytes, std::string_view path, const ReadOptions& options,
               DocumentSink& sink);
void read_jsonl(Input& input, std::string_view path, const ReadOptions& options,
                DocumentSink& sink);

// WARC records (plain, or gzipped member by member): response records holding HTML pages.
void read_warc(Input& input, std::string_view path, const ReadOptions& options, bool gzipped,
               DocumentSink& sink);
// RSS 2.0, RSS 1.0 and Atom: one Document per item or entry.
// With `entries`, see read_feed_entries.
void read_feed(std::string_view bytes, std::string_view path, const ReadOptions& options,
               DocumentSink& sink, std::vector<FeedEntry>* entries = nullptr);
Problem reject(std::string_view path, size_t line, int64_t byte_offset, std::string reason);
Problem warn(std::string_view path, size_t line, std::string reason);

}  // namespace khabar::ingest_internal
