// The endpoint-recovery part of a Snapshot: build_snapshot converts the status of each managed
// peer's EndpointManager (in its record) with to_recovery_snapshot. Pure: a conversion of
// values, so the Snapshot stays free of endpoint types and its formatters need not know the
// EndpointManager.
#pragma once

#include <string_view>

#include "core/clock.h"
#include "core/public_key.h"
#include "endpoint/endpoint_manager.h"
#include "snapshot/snapshot.h"

namespace wgtrack {

// `status` with its monotonic instants as wall times (wall - (mono - t), as build_snapshot
// converts state_since) and its enums as their to_string() text.
RecoverySnapshot to_recovery_snapshot(const endpoint::EndpointStatus& status, MonoTime mono,
                                      WallTime wall);

}  // namespace wgtrack
