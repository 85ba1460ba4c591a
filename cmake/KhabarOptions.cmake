option(KHABAR_WERROR "Treat compiler warnings as errors (CI turns this on)" OFF)
option(KHABAR_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(KHABAR_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang)" OFF)
option(KHABAR_BENCHMARKS "Build the Google Benchmark micro-benchmarks" ON)
# The web page's tests in headless Chromium (tests/browser): AUTO runs them when Node.js,
# Chromium and tests/browser/node_modules are there; ON (CI) fails the configure when not.
set(KHABAR_BROWSER_TESTS AUTO CACHE STRING "Run the browser tests: AUTO, ON or OFF")
set(KHABAR_SEEDS_DIR "${CMAKE_SOURCE_DIR}/../shared/seeds"
    CACHE PATH "The shared seed articles and EXPECTED.md used by the golden tests")

add_library(khabar_warnings INTERFACE)
target_compile_options(khabar_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                                 -Wnon-virtual-dtor -Wold-style-cast)
if(KHABAR_WERROR)
  target_compile_options(khabar_warnings INTERFACE -Werror)
endif()

if(KHABAR_SANITIZE OR KHABAR_FUZZ)
  set(_khabar_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${_khabar_san})
  add_link_options(-fsanitize=address,undefined)
endif()
if(KHABAR_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "KHABAR_FUZZ needs clang: configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
