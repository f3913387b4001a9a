// The endpoint-recovery part of a Snapshot: the daemon owns one EndpointManager per peer with
// endpoint hosts; after build_snapshot it copies each manager's status into its peer:
//
//   Snapshot s = build_snapshot(...);
//   for (each manager m of (interface, key))
//     set_recovery(s, interface, key, m.status(mono), mono, wall);
//
// Pure: a conversion of values, so the Snapshot stays free of endpoint types and its
// formatters need not know the EndpointManager.
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

// Sets the recovery of peer `key` on `interface`; false (nothing changed) when the snapshot
// has no such peer, e.g. it was removed after the snapshot was built. A manager in phase
// "removed" is skipped the same way (its peer is gone).
bool set_recovery(Snapshot& snapshot, std::string_view interface, const PublicKey& key,
                  const endpoint::EndpointStatus& status, MonoTime mono, WallTime wall);

}  // namespace wgtrack
