#pragma once
// Remote streams of the subscribing connection, keyed by MediaStream id (the msid of the
// server's offer, docs/protocol.md). A stream is announced once, when the server's metadata is
// known and every track the offer sends for it has arrived (reference §1.3); it is withdrawn when
// its msid is gone from the latest offer or all its tracks were removed or ended.

#include <string>
#include <vector>

#include "wasm/core/EventQueue.hpp"
#include "wasm/core/Fn.hpp"
#include "wasm/core/Json.hpp"
#include "wasm/core/Sdp.hpp"
#include "wasm/core/Types.hpp"

namespace sb::sdk {

class StreamRegistry {
  public:
    using Available = Fn<void(const StreamInfo& stream)>;
    using Unavailable = Fn<void(const std::string& streamId)>;

    // The listeners are the owner's (the Client's listener): they must outlive the registry and
    // `events`, and are read when each event is emitted.
    StreamRegistry(EventQueue& events, const Available& available, const Unavailable& unavailable)
        : events_(events), available_(&available), unavailable_(&unavailable) {}
    ~StreamRegistry();
    StreamRegistry(const StreamRegistry&) = delete;
    StreamRegistry& operator=(const StreamRegistry&) = delete;

    // Called before the offer is applied, since `track` events fire during
    // setRemoteDescription (W3C WebRTC §4.4.1.6). `metadata` is the offer's streamMetadata;
    // `expectedTracks` comes from sdp::sentTracksPerStream of the same offer.
    void applyOffer(const Json& metadata, const sdp::TrackCounts& expectedTracks);
    void trackAdded(const std::string& streamId, const std::string& trackId);
    void trackRemoved(const std::string& streamId, const std::string& trackId);
    // The subscribing connection is gone: withdraw every announced stream.
    void clear();

    bool announced(const std::string& streamId) const;
    const StreamInfo* find(const std::string& streamId) const;
    // Appends the track id and stream id of each track of an announced stream; returns how many
    // announced streams carry audio (call quality, CallQuality.hpp).
    int tracks(std::vector<std::string>& out) const;

  private:
    struct Entry {
        StreamInfo info;
        int expected = 0;
        std::vector<std::string> tracks;  // distinct track ids
        bool announced = false;
        Entry* next = nullptr;
    };
    Entry* entry(const std::string& streamId);
    Entry& add(const std::string& streamId);
    void announceIfComplete(Entry& entry);
    void withdraw(Entry& entry);

    EventQueue& events_;
    const Available* available_;
    const Unavailable* unavailable_;
    // A few per connection, searched linearly, in the order they were first seen: a linked list,
    // smaller in the wasm than std::vector<Entry>'s growth and erase code (bench/size/).
    Entry* streams_ = nullptr;
};

}  // namespace sb::sdk
