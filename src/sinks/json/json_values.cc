#include "sinks/json/json_values.h"

#include <cmath>

#include "core/json.h"

namespace wgtrack {
namespace {

// Days since 1970-01-01 to a proleptic Gregorian date: Howard Hinnant's civil_from_days
// (http://howardhinnant.github.io/date_algorithms.html), exact for the whole int64 range used.
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
}

void digits(char* at, unsigned v, int n) {
  for (int i = n - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

constexpr std::int64_t kPow10[] = {1,      10,      100,      1000,      10000,
                                   100000, 1000000, 10000000, 100000000, 1000000000};

}  // namespace

std::int64_t unix_seconds(WallTime t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

void append_rfc3339_utc(std::string& out, WallTime t) {
  const auto ms_total = std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::int64_t secs = ms_total >= 0 ? ms_total / 1000 : (ms_total - 999) / 1000;
  auto ms = static_cast<unsigned>(ms_total - secs * 1000);
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  auto sod = static_cast<unsigned>(secs - days * 86400);
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  if (y < 0 || y > 9999) {  // not representable in 4 digits: clamp (see the header)
    y = y < 0 ? 0 : 9999;
    m = y == 0 ? 1 : 12;
    d = y == 0 ? 1 : 31;
    sod = y == 0 ? 0 : 86399;
    ms = y == 0 ? 0 : 999;
  }
  char b[26] = "\"0000-00-00T00:00:00.000Z";
  digits(b + 1, static_cast<unsigned>(y), 4);
  digits(b + 6, m, 2);
  digits(b + 9, d, 2);
  digits(b + 12, sod / 3600, 2);
  digits(b + 15, sod / 60 % 60, 2);
  digits(b + 18, sod % 60, 2);
  digits(b + 21, ms, 3);
  out.append(b, 25);
  out += '"';
}

void append_fixed(std::string& out, std::int64_t value, int decimals) {
  if (decimals <= 0) {
    append_int(out, value);
    return;
  }
  if (decimals > 9) decimals = 9;
  // Work on the magnitude as unsigned, so INT64_MIN cannot overflow.
  const bool negative = value < 0;
  const std::uint64_t mag =
      negative ? ~static_cast<std::uint64_t>(value) + 1 : static_cast<std::uint64_t>(value);
  const auto scale = static_cast<std::uint64_t>(kPow10[decimals]);
  std::uint64_t frac = mag % scale;
  if (negative) out += '-';
  append_uint(out, mag / scale);
  if (frac == 0) return;
  int n = decimals;
  while (frac % 10 == 0) {
    frac /= 10;
    --n;
  }
  char b[10];
  digits(b, static_cast<unsigned>(frac), n);
  out += '.';
  out.append(b, static_cast<std::size_t>(n));
}

void append_decimal3(std::string& out, double v) {
  // 9.2e15 (2^63 / 1000) is where int64 thousandths end; a byte rate never gets there.
  if (!std::isfinite(v) || std::fabs(v) >= 9.2e15) {
    out += "null";
    return;
  }
  append_fixed(out, std::llround(v * 1000), 3);
}

void append_json_endpoint(std::string& out, const Endpoint& e, std::string& scratch) {
  scratch.clear();
  e.append_to(scratch);
  append_json_string(out, scratch);
}

void append_json_endpoint(std::string& out, const std::optional<Endpoint>& e,
                          std::string& scratch) {
  if (e)
    append_json_endpoint(out, *e, scratch);
  else
    out += "null";
}

void append_json_prefixes(std::string& out, const std::vector<IpPrefix>& prefixes) {
  out += '[';
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    if (i) out += ',';
    out += '"';
    prefixes[i].append_to(out);
    out += '"';
  }
  out += ']';
}

void append_json_interface_head(std::string& out, std::string_view name, BackendKind backend,
                                const std::optional<PublicKey>& public_key,
                                std::uint16_t listen_port, std::uint32_t fwmark) {
  out += "{\"name\":";
  append_json_string(out, name);
  out += ",\"backend\":\"";
  out += to_string(backend);
  out += "\",\"public_key\":";
  if (public_key) {
    out += '"';
    public_key->append_base64(out);
    out += '"';
  } else {
    out += "null";
  }
  out += ",\"listen_port\":";
  append_uint(out, listen_port);
  out += ",\"fwmark\":";
  append_uint(out, fwmark);
}

}  // namespace wgtrack
