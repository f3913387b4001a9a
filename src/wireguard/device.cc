#include "wireguard/device.h"

namespace wgtrack {

const char* to_string(BackendKind kind) {
  return kind == BackendKind::kKernel ? "kernel" : "userspace";
}

}  // namespace wgtrack
