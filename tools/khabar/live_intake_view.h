// What `khabar watch` and `khabar ingest URL` share: the fetching options and their summary.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "khabar/fetch.h"
#include "khabar/watch.h"
#include "progress.h"

namespace khabar::cli {

struct LiveArgs {
  double host_delay_seconds = 1;
  int per_host = 1;
  int threads = 8;
  double timeout_seconds = 30;
  int retries = 3;
  double backoff_seconds = 30;
  std::string user_agent = FetchLimits{}.user_agent;
};

void add_live_options(CLI::App& cmd, LiveArgs& args);
LiveIntakeOptions live_options(const LiveArgs& args, PipelineOptions pipeline);
// Runs the intake, SIGINT and SIGTERM stopping it cleanly (what was fetched is stored).
Result<LiveIntakeCounts> fetch_live(const std::vector<LiveSource>& sources, Store& store,
                                    const LiveIntakeOptions& options, IngestProgress& progress,
                                    bool quiet);
// "12 pages fetched, 3 feed answers (1 not modified, 0 failed), ..."
std::string live_summary(const LiveIntakeCounts& counts);

}  // namespace khabar::cli
