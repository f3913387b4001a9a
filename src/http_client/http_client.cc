#include "http_client/http_client.h"

namespace wgtrack {

bool is_success_status(unsigned status) { return status >= 200 && status < 300; }

// 408 Request Timeout and 429 Too Many Requests say "later"; 5xx but 501 Not Implemented say
// the server is in trouble now (RFC 9110 §15.5.9, §15.6; RFC 6585 §4).
bool is_retryable_status(unsigned status) {
  return status == 408 || status == 429 || (status >= 500 && status != 501);
}

bool is_retryable_error(const Error& error) { return error.code != ErrorCode::kInvalidInput; }

}  // namespace wgtrack
