// How `khabar story ID --facts` prints a story's cross-outlet facts as text.
#pragma once

#include <ostream>

#include "khabar/story_facts.h"

namespace khabar::cli {

void print_story_facts(const StoryFacts& facts, std::ostream& out);

}  // namespace khabar::cli
