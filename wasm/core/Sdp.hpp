#pragma once
// The few SDP facts and edits the SDK needs (RFC 8866 syntax, JSEP RFC 8829). Line based on
// purpose: a full SDP parser (sdp-transform in the stock SDK, 9 KB) is not needed for this.

#include <map>
#include <string>

namespace sb::sdk::sdp {

// Every media section of the answer gets `a=setup:passive` (RFC 8842 §5 / RFC 4145 §4): the
// server is always the DTLS client on the subscribing connection, as with the stock SDK
// (reference §2.7). An existing a=setup line is replaced, a missing one added.
std::string forcePassiveSetup(const std::string& sdp);

// How many tracks the remote side will send per MediaStream id: audio/video sections that are
// not rejected (port 0, JSEP §5.3.1) and whose direction lets the offerer send (sendrecv, the
// default, or sendonly; RFC 8866 §6.7), counted by their `a=msid:<stream> <track>` (RFC 8830).
std::map<std::string, int> sentTracksPerStream(const std::string& sdp);

}  // namespace sb::sdk::sdp
