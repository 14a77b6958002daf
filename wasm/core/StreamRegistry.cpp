#include "wasm/core/StreamRegistry.hpp"

namespace sb::sdk {

void StreamRegistry::applyOffer(const Json& metadata,
                                const std::map<std::string, int>& expectedTracks) {
    for (auto it = streams_.begin(); it != streams_.end();) {
        auto expected = expectedTracks.find(it->first);
        if (expected == expectedTracks.end() || expected->second == 0) {
            withdraw(it->second);
            it = streams_.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& [streamId, count] : expectedTracks) {
        if (count == 0) continue;
        Entry& entry = streams_[streamId];
        entry.expected = count;
        entry.info.streamId = streamId;
        const Json& meta = metadata[streamId];
        entry.info.participantId = meta["participantId"].asString();
        entry.info.alias = meta["alias"].asString();
        entry.info.mediaTypes.clear();
        for (const auto& type : meta["mediaTypes"].values())
            entry.info.mediaTypes.push_back(type.asString());
        announceIfComplete(entry);
    }
}

void StreamRegistry::trackAdded(const std::string& streamId, const std::string& trackId) {
    Entry& entry = streams_[streamId];
    entry.info.streamId = streamId;
    entry.tracks.insert(trackId);
    announceIfComplete(entry);
}

void StreamRegistry::trackRemoved(const std::string& streamId, const std::string& trackId) {
    auto it = streams_.find(streamId);
    if (it == streams_.end()) return;
    it->second.tracks.erase(trackId);
    if (it->second.tracks.empty()) withdraw(it->second);
}

void StreamRegistry::clear() {
    for (auto& entry : streams_) withdraw(entry.second);
    streams_.clear();
}

bool StreamRegistry::announced(const std::string& streamId) const {
    auto it = streams_.find(streamId);
    return it != streams_.end() && it->second.announced;
}

const StreamInfo* StreamRegistry::find(const std::string& streamId) const {
    auto it = streams_.find(streamId);
    return it == streams_.end() ? nullptr : &it->second.info;
}

void StreamRegistry::announceIfComplete(Entry& entry) {
    if (entry.announced || entry.expected == 0) return;
    if (static_cast<int>(entry.tracks.size()) < entry.expected) return;
    entry.announced = true;
    events_.post([cb = available_, info = entry.info]() {
        if (cb) cb(info);
    });
}

void StreamRegistry::withdraw(Entry& entry) {
    if (!entry.announced) return;
    entry.announced = false;
    events_.post([cb = unavailable_, id = entry.info.streamId]() {
        if (cb) cb(id);
    });
}

}  // namespace sb::sdk
