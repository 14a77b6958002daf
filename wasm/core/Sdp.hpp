#pragma once
// The few SDP facts and edits the SDK needs (RFC 8866 syntax, JSEP RFC 8829). Line based on
// purpose: a full SDP parser (sdp-transform in the stock SDK, 9 KB) is not needed for this.

#include <string>

#include "wasm/core/Json.hpp"

namespace sb::sdk::sdp {

// Track count per MediaStream id, in the order the streams first appear: a JSON object
// {"<stream id>": count} (size: no container type of its own in the wasm, bench/size/).
using TrackCounts = Json;

// Every media section of the answer gets `a=setup:passive` (RFC 8842 §5 / RFC 4145 §4): the
// server is always the DTLS client on the subscribing connection, as with the stock SDK
// (reference §2.7). An existing a=setup line is replaced, a missing one added.
// Measured against `a=setup:active` (bench/ttfa): Janus 1.1.2 makes its DTLS context only once
// the browser has nominated the pair and drops DTLS that arrives before, so an active browser's
// first ClientHello is lost and the handshake waits for its retransmission: ICE connected to
// DTLS connected took ~170 ms active against ~65 ms passive (~20 ms passive when Janus does
// full ICE rather than ICE-lite).
std::string forcePassiveSetup(const std::string& sdp);

// How many tracks the remote side will send per MediaStream id: audio/video sections that are
// not rejected (port 0, JSEP §5.3.1) and whose direction lets the offerer send (sendrecv, the
// default, or sendonly; RFC 8866 §6.7), counted by their `a=msid:<stream> <track>` (RFC 8830).
TrackCounts sentTracksPerStream(const std::string& sdp);

}  // namespace sb::sdk::sdp
