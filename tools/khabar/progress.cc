#include "progress.h"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>

namespace khabar::cli {

IngestProgress::IngestProgress(std::ostream& out, uint64_t total_bytes, bool bar, bool commit_lines,
                               bool quiet)
    : out_(out), total_bytes_(total_bytes), bar_(bar), commit_lines_(commit_lines), quiet_(quiet) {}

double IngestProgress::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void IngestProgress::clear_bar() {
  if (bar_visible_) out_ << "\r\033[K";
  bar_visible_ = false;
}

void IngestProgress::on_problem(const Problem& problem) {
  if (quiet_ && problem.severity != Problem::Severity::kRejected) return;
  clear_bar();
  const char* label = problem.severity == Problem::Severity::kRejected  ? "rejected"
                      : problem.severity == Problem::Severity::kWarning ? "warning"
                                                                        : "skipped";
  out_ << label << ": " << problem.to_string() << "\n";
}

void IngestProgress::on_file(std::string_view, uint64_t, const IngestCounts& so_far) {
  draw(so_far);
}

void IngestProgress::on_commit(const IngestCounts& so_far) {
  if (commit_lines_) {
    clear_bar();
    out_ << fmt::format("progress: read={} stored={} already_present={} rejected={}\n", so_far.read,
                        so_far.stored, so_far.already_present, so_far.rejected);
    out_.flush();
  }
  draw(so_far);
}

void IngestProgress::draw(const IngestCounts& counts) {
  if (!bar_ || seconds() < 1.0) return;
  const double fraction = total_bytes_ == 0
                              ? 0.0
                              : std::min(1.0, static_cast<double>(counts.bytes_in_finished_files) /
                                                  static_cast<double>(total_bytes_));
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  out_ << fmt::format("\r\033[K[{}{}] {:3.0f}%  {} read, {} stored, {} rejected  {:.0f}/s",
                      std::string(static_cast<size_t>(filled), '#'),
                      std::string(static_cast<size_t>(kWidth - filled), '.'), fraction * 100,
                      counts.read, counts.stored, counts.rejected,
                      static_cast<double>(counts.read) / seconds());
  out_.flush();
  bar_visible_ = true;
}

void IngestProgress::finish() {
  clear_bar();
}

}  // namespace khabar::cli
