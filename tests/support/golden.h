// Golden-file comparison. WGTRACK_UPDATE_GOLDEN=1 rewrites the file instead (review the diff!).
#pragma once

#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "support/fixtures.h"

namespace wgtrack::testing {

inline void expect_golden(const std::string& path, const std::string& actual) {
  if (const char* u = std::getenv("WGTRACK_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  EXPECT_EQ(actual, read_fixture(path)) << "golden file " << path
                                        << " differs (WGTRACK_UPDATE_GOLDEN=1 to regenerate)";
}

}  // namespace wgtrack::testing
