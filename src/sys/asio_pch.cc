// The anchor of the Asio / Beast precompiled header (CMakeLists.txt beside it): CMake builds the
// header from this target; the file itself has nothing to compile.
