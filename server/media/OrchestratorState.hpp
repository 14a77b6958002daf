#pragma once
// MediaOrchestrator's per-device and per-room state, shared by its two source files
// (MediaOrchestrator.cpp for browsers, PhoneLegs.cpp for SIP calls). Private to server/media.

#include "server/media/MediaOrchestrator.hpp"
#include "server/media/PublisherSections.hpp"

namespace sb::media {

using FeedMid = std::pair<std::uint64_t, std::string>;

struct MediaOrchestrator::Device {
    std::string id, accountId, participantId;
    std::shared_ptr<DeviceSink> sink;
    // Publishing side.
    HandleId pubHandle = 0;
    std::uint64_t feed = 0;
    std::string pubSession;
    bool pubPublished = false;  // Janus has a PeerConnection for it (configure vs publish)
    bool pubUp = false;         // webrtcup seen: others may subscribe
    bool pubBusy = false;
    std::vector<PublishedTrack> tracks;
    PublisherSections pubSections;  // its m-lines as Janus has them (recycled m-lines moved)
    std::map<std::string, std::string> aliases;
    // Subscribing side.
    HandleId subHandle = 0;
    std::string subSession;
    bool subBusy = false;  // a join/update is in flight or an answer is awaited
    bool awaitingAnswer = false;
    bool dirty = false;    // the wanted set changed while busy
    // An offer Janus made on its own (e.g. a publisher vanished) while we were busy: sent to the
    // device as soon as the negotiation in progress completes, unless a newer one replaced it.
    nlohmann::json pendingJanusOffer;
    std::set<FeedMid> subscribed, requested;
    int revision = 0;
    // Phone legs (SIP calls): publish through a remote publisher, receive through forwarders.
    bool phone = false;
    std::shared_ptr<PhoneSink> phoneSink;
    std::uint16_t forwardPort = 0;
    struct Forward {
        std::uint64_t streamId = 0;
        std::uint32_t ssrc = 0;
    };
    std::map<FeedMid, Forward> forwards;
    std::uint32_t nextSsrc = 0x5b000000;
    bool forwardsBusy = false;
    int forwardRetries = 0;  // rtp_forward of a feed Janus does not list yet, retried (PhoneLegs.cpp)
};

struct MediaOrchestrator::Room {
    std::string accountId, sessionId;
    std::uint64_t roomId = 0;
    bool created = false;
    std::vector<std::function<void(Room*)>> waiters;
    struct Remote {
        std::uint64_t id = 0;
        std::string host;
        std::uint16_t port = 0;
        std::string callId;  // empty: idle, ready for the next call
    };
    std::vector<Remote> remotes;
};

}  // namespace sb::media
