#include "reader_fuzzer.h"

// Plain WARC records, and .warc.gz members when the input starts with gzip's magic bytes.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return khabar::fuzz::read_as(khabar::InputFormat::kWarc, data, size);
}
