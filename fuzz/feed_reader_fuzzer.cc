#include "reader_fuzzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return khabar::fuzz::read_as(khabar::InputFormat::kFeed, data, size);
}
