# khabar_embed_data(<target> <symbol> <file>)
# Compiles a data file (rules, word lists) into <target> as
#   namespace khabar::data { extern const std::string_view <symbol>; }
# declared in the generated header <khabar_data/<symbol>.h>. Rules stay in data/ where they
# can be read and reviewed, and the binary needs no data directory at run time.
function(khabar_embed_data target symbol file)
  set(_out_dir "${CMAKE_BINARY_DIR}/generated")
  set(_header "${_out_dir}/khabar_data/${symbol}.h")
  set(_source "${_out_dir}/khabar_data/${symbol}.cc")
  file(READ "${file}" _content)
  string(FIND "${_content}" ")khabar_embed\"" _clash)
  if(NOT _clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the raw-string delimiter )khabar_embed\"")
  endif()
  file(CONFIGURE OUTPUT "${_header}" CONTENT
"// Generated from ${file} by KhabarEmbed.cmake; edit the data file, not this one.
#pragma once
#include <string_view>
namespace khabar::data {
extern const std::string_view ${symbol};
}  // namespace khabar::data
")
  file(CONFIGURE OUTPUT "${_source}" CONTENT
"// Generated from ${file} by KhabarEmbed.cmake; edit the data file, not this one.
#include \"khabar_data/${symbol}.h\"
// A data file may pass the 64 KiB that the standard asks every compiler to take in one literal;
// GCC and clang take any length.
#pragma GCC diagnostic ignored \"-Woverlength-strings\"
namespace khabar::data {
extern const std::string_view ${symbol} = R\"khabar_embed(@_content@)khabar_embed\";
}  // namespace khabar::data
" @ONLY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${file}")
  target_sources(${target} PRIVATE "${_source}")
  target_include_directories(${target} PUBLIC "${_out_dir}")
endfunction()
