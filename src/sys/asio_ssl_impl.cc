// Boost.Asio's SSL implementation (see asio_impl.cc), in its own library so that only targets
// that really use TLS link OpenSSL's libssl.
#include <boost/asio/ssl/impl/src.hpp>
