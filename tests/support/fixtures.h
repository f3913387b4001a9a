// Reads a golden fixture relative to the repository root (tests run there: see
// wgtrack_add_tests). Fails the test loudly if the file is missing.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace wgtrack::testing {

inline std::string read_fixture(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace wgtrack::testing
