// What `khabar ingest` tells the person running it while it works.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>

#include "khabar/pipeline.h"

namespace khabar::cli {

class IngestProgress : public IngestObserver {
 public:
  // `total_bytes` sizes the bar; `bar` draws it on a terminal once work passes a second;
  // `commit_lines` prints one plain line per committed batch (for logs and scripts).
  IngestProgress(std::ostream& out, uint64_t total_bytes, bool bar, bool commit_lines, bool quiet);

  void on_problem(const Problem& problem) override;
  void on_file(std::string_view path, uint64_t bytes, const IngestCounts& so_far) override;
  void on_commit(const IngestCounts& so_far) override;
  void finish();

 private:
  void draw(const IngestCounts& counts);
  void clear_bar();
  double seconds() const;

  std::ostream& out_;
  uint64_t total_bytes_;
  bool bar_;
  bool commit_lines_;
  bool quiet_;
  bool bar_visible_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace khabar::cli
