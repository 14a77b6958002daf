#include "wasm/core/StreamRegistry.hpp"

#include <algorithm>

namespace sb::sdk {

StreamRegistry::~StreamRegistry() {
    while (Entry* e = streams_) {
        streams_ = e->next;
        delete e;
    }
}

StreamRegistry::Entry* StreamRegistry::entry(const std::string& streamId) {
    for (Entry* e = streams_; e; e = e->next)
        if (e->info.streamId == streamId) return e;
    return nullptr;
}

StreamRegistry::Entry& StreamRegistry::add(const std::string& streamId) {
    Entry** link = &streams_;
    for (; *link; link = &(*link)->next)
        if ((*link)->info.streamId == streamId) return **link;
    *link = new Entry;
    (*link)->info.streamId = streamId;
    return **link;
}

void StreamRegistry::applyOffer(const Json& metadata, const sdp::TrackCounts& expectedTracks) {
    for (Entry** link = &streams_; *link;) {
        Entry* e = *link;
        if (expectedTracks[e->info.streamId].asNumber() == 0) {
            withdraw(*e);
            *link = e->next;
            delete e;
        } else {
            link = &e->next;
        }
    }
    for (std::size_t i = 0; i < expectedTracks.size(); ++i) {
        const std::string& streamId = expectedTracks.keys()[i];
        int count = static_cast<int>(expectedTracks.values()[i].asNumber());
        if (count == 0) continue;
        Entry& e = add(streamId);
        e.expected = count;
        const Json& meta = metadata[streamId];
        e.info.participantId = meta["participantId"].asString();
        e.info.alias = meta["alias"].asString();
        meta["mediaTypes"].strings(e.info.mediaTypes);
        announceIfComplete(e);
    }
}

void StreamRegistry::trackAdded(const std::string& streamId, const std::string& trackId) {
    Entry& e = add(streamId);
    if (std::find(e.tracks.begin(), e.tracks.end(), trackId) == e.tracks.end())
        e.tracks.push_back(trackId);
    announceIfComplete(e);
}

void StreamRegistry::trackRemoved(const std::string& streamId, const std::string& trackId) {
    Entry* e = entry(streamId);
    if (!e) return;
    // The ids are distinct (trackAdded): one to take out at most.
    auto it = std::find(e->tracks.begin(), e->tracks.end(), trackId);
    if (it != e->tracks.end()) e->tracks.erase(it);
    if (e->tracks.empty()) withdraw(*e);
}

void StreamRegistry::clear() {
    while (Entry* e = streams_) {
        withdraw(*e);
        streams_ = e->next;
        delete e;
    }
}

bool StreamRegistry::announced(const std::string& streamId) const {
    for (const Entry* e = streams_; e; e = e->next)
        if (e->info.streamId == streamId) return e->announced;
    return false;
}

const StreamInfo* StreamRegistry::find(const std::string& streamId) const {
    for (const Entry* e = streams_; e; e = e->next)
        if (e->info.streamId == streamId) return &e->info;
    return nullptr;
}

int StreamRegistry::tracks(std::vector<std::string>& out) const {
    int audio = 0;
    for (const Entry* e = streams_; e; e = e->next) {
        if (!e->announced) continue;
        for (const auto& t : e->tracks) {
            out.push_back(t);
            out.push_back(e->info.streamId);
        }
        const auto& types = e->info.mediaTypes;
        audio += std::find(types.begin(), types.end(), "AUDIO") != types.end();
    }
    return audio;
}

void StreamRegistry::announceIfComplete(Entry& entry) {
    if (entry.announced || entry.expected == 0) return;
    if (static_cast<int>(entry.tracks.size()) < entry.expected) return;
    entry.announced = true;
    events_.post([cb = available_, info = entry.info]() {
        if (*cb) (*cb)(info);
    });
}

void StreamRegistry::withdraw(Entry& entry) {
    if (!entry.announced) return;
    entry.announced = false;
    events_.postText(unavailable_, entry.info.streamId);
}

}  // namespace sb::sdk
