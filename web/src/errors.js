// The error class of the public API. BandwidthRtcError is the stock SDK's name (reference
// §1.4); ours carries a machine-readable `code` ("token_expired", "server_unreachable",
// "rpc_error" with `rpcCode`, …; made in wasm/core/Errors.hpp;
// causes and fixes in docs/errors.md).
export class BandwidthRtcError extends Error {
  constructor(message, code, details) {
    super(message);
    this.name = 'BandwidthRtcError';
    if (code) this.code = code;
    Object.assign(this, details);
  }
}

// From the core's JSON error ({code, message, rpcCode?, data?}: wasm/browser/SdkHandle.cpp
// errorJson writes rpcCode and data only when set, data as JSON text).
export function coreError(json) {
  const { code, message, ...details } = JSON.parse(json);
  if (details.data) details.data = JSON.parse(details.data);
  return new BandwidthRtcError(message, code, details);
}
