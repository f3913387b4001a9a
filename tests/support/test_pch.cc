// The anchor of the tests' precompiled header (tests/support/CMakeLists.txt): CMake builds the
// header from this target; the file itself has nothing to compile.
