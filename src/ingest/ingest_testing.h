// Test helpers for code that reads articles: a sink that keeps everything it is given.
#pragma once

#include <string>
#include <vector>

#include "khabar/ingest.h"

namespace khabar::testing {

class CollectingSink : public DocumentSink {
 public:
  void document(Document doc) override { documents.push_back(std::move(doc)); }
  void problem(Problem p) override { problems.push_back(std::move(p)); }

  std::vector<Problem> of_severity(Problem::Severity severity) const {
    std::vector<Problem> out;
    for (const Problem& p : problems) {
      if (p.severity == severity) out.push_back(p);
    }
    return out;
  }
  std::vector<Problem> rejections() const { return of_severity(Problem::Severity::kRejected); }
  std::vector<Problem> warnings() const { return of_severity(Problem::Severity::kWarning); }

  std::vector<Document> documents;
  std::vector<Problem> problems;
};

}  // namespace khabar::testing
