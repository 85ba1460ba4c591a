include(GoogleTest)

# khabar_stage(<name> SOURCES ... [DEPS ...] [TESTS ...] [TESTS_STORE] [SERIAL_TESTS filter]
#              [BENCHMARKS ...])
# One pipeline stage: the library khabar_<name>, its unit tests (<name>_test, run by CTest)
# and its micro-benchmarks, collected into bench/'s khabar_benchmarks binary. TESTS_STORE: the
# tests open stores through store_testing::TestStoreLocation (src/store/store_testing.h), so they
# also run on PostgreSQL.
# Tests that open stores are labelled store (in place of unit or e2e: GoogleTest's module does
# not pass a list of labels through), so that `ctest -L store` runs them on PostgreSQL.
function(khabar_discover_store_tests target)
  gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS store)
endfunction()

# SERIAL_TESTS: a GoogleTest filter naming tests that measure against the clock (live intake
# keeping up with feeds for a minute); CTest runs them with no other test beside them, whose
# disk and processor use would be measured with them.
function(khabar_stage name)
  cmake_parse_arguments(ARG "TESTS_STORE" "SERIAL_TESTS" "SOURCES;DEPS;TESTS;BENCHMARKS" ${ARGN})
  add_library(khabar_${name} STATIC ${ARG_SOURCES})
  target_include_directories(khabar_${name} PUBLIC "${PROJECT_SOURCE_DIR}/include"
                                                   "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(khabar_${name} PUBLIC ${ARG_DEPS} PRIVATE khabar_warnings)
  if(ARG_TESTS AND NOT KHABAR_FUZZ)
    add_executable(${name}_test ${ARG_TESTS})
    target_link_libraries(${name}_test PRIVATE khabar_${name} khabar_warnings GTest::gtest_main
                                                GTest::gmock)
    if(ARG_TESTS_STORE)
      target_link_libraries(${name}_test PRIVATE khabar_store_testing)
      if(ARG_SERIAL_TESTS)
        gtest_discover_tests(${name}_test DISCOVERY_TIMEOUT 60 TEST_FILTER "-${ARG_SERIAL_TESTS}"
                             PROPERTIES LABELS store)
        gtest_discover_tests(${name}_test DISCOVERY_TIMEOUT 60 TEST_FILTER "${ARG_SERIAL_TESTS}"
                             PROPERTIES LABELS store RUN_SERIAL TRUE)
      else()
        khabar_discover_store_tests(${name}_test)
      endif()
    else()
      gtest_discover_tests(${name}_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
    endif()
  endif()
  if(ARG_BENCHMARKS)
    list(TRANSFORM ARG_BENCHMARKS PREPEND "${CMAKE_CURRENT_SOURCE_DIR}/")
    set_property(GLOBAL APPEND PROPERTY KHABAR_BENCHMARK_SOURCES ${ARG_BENCHMARKS})
    set_property(GLOBAL APPEND PROPERTY KHABAR_BENCHMARK_LIBS khabar_${name})
  endif()
endfunction()
