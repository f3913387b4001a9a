// The one translation unit that compiles Boost.Asio's and Boost.Beast's non-template code.
// Every other file sees only declarations: BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION are defined for the whole tree (top-level CMakeLists.txt), so
// the .ipp bodies are not parsed and compiled again in each file that includes Asio or Beast.
// See "Separate Compilation" in the Boost.Asio and Boost.Beast documentation.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
