#pragma once
// URLs of the device signaling endpoint (reference §2.1, docs/protocol.md "Connecting") and the
// reading of the HTTP probe that explains a refused WebSocket upgrade.

#include <string>

#include "wasm/core/Types.hpp"

namespace sb::sdk::url {

// `{base}/v3/?token=…&client=…&sdkVersion=…&uniqueId=…`, and `&resumeDevice=…&resumeSecret=…`
// when `resumeDevice` is not empty (docs/protocol.md "Resuming a device"). A trailing slash on
// `base` is tolerated; query values are percent-encoded (RFC 3986 §2.1; a JWT is unchanged by it).
// `loopback`: `&loopback=1`, the device also receives its own streams (preflight).
std::string signaling(const std::string& base, const std::string& token, const std::string& client,
                      const std::string& sdkVersion, const std::string& uniqueId,
                      const std::string& resumeDevice = {}, const std::string& resumeSecret = {},
                      bool loopback = false);

// ws:// → http://, wss:// → https:// (the probe GET of the same URL).
std::string probe(const std::string& websocketUrl);

// The error a failed first connection reports, from the probe's answer: status 0 (fetch failed
// too) → server_unreachable; 401/403 with the server's {"code","error"} → that code; 200 → the
// token is fine, the WebSocket itself failed; anything else → server_refused.
Error classifyProbe(int status, const std::string& body, const std::string& websocketUrl);

// The `exp` claim of a JWT (RFC 7519 §4.1.4, seconds since the epoch), read from its base64url
// payload without checking the signature (the server does); 0 if there is none.
double tokenExpiry(const std::string& token);

}  // namespace sb::sdk::url
