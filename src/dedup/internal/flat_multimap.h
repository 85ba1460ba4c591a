// An open-addressing multimap from 64-bit hashes to article numbers: 16 bytes a slot, no node
// per entry, which is what keeps the duplicate index within its memory budget.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace khabar::dedup_internal {

class FlatMultimap {
 public:
  void insert(uint64_t key, uint32_t value) {
    if ((size_ + 1) * 10 > slots_.size() * 7) grow();
    place(key, value);
    ++size_;
  }

  // Calls on_value(value) for each value stored under key, in no particular order, and
  // returns how many there were.
  template <typename OnValue>
  size_t for_each(uint64_t key, OnValue on_value) const {
    if (slots_.empty()) return 0;
    const size_t mask = slots_.size() - 1;
    size_t found = 0;
    for (size_t i = key & mask; slots_[i].used; i = (i + 1) & mask) {
      if (slots_[i].key == key) {
        on_value(slots_[i].value);
        ++found;
      }
    }
    return found;
  }

  size_t size() const { return size_; }
  size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    uint64_t key = 0;
    uint32_t value = 0;
    uint32_t used = 0;
  };

  void place(uint64_t key, uint32_t value) {
    const size_t mask = slots_.size() - 1;
    size_t i = key & mask;  // keys are hashes already
    while (slots_[i].used)
      i = (i + 1) & mask;
    slots_[i] = {key, value, 1};
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    for (const Slot& slot : old) {
      if (slot.used) place(slot.key, slot.value);
    }
  }

  std::vector<Slot> slots_;  // a power of two, at most 70% full
  size_t size_ = 0;
};

}  // namespace khabar::dedup_internal
