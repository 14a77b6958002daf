#include "server/voice/RecordingStore.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "server/base/Log.hpp"
#include "server/voice/Call.hpp"
#include "server/voice/CallIds.hpp"

namespace sb::voice {

namespace fs = std::filesystem;
using nlohmann::json;

std::string newRecordingId() {
    return "r-" + newCallId().substr(2);
}

bool isRecordingId(const std::string& id) {
    return id.rfind("r-", 0) == 0 && isCallId("c-" + id.substr(2));
}

json toJson(const RecordingMeta& m) {
    auto opt = [](const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); };
    return {{"recordingId", m.recordingId},
            {"accountId", m.accountId},
            {"applicationId", m.applicationId},
            {"callId", m.callId},
            {"to", m.to},
            {"from", m.from},
            {"direction", m.direction},
            {"transferCallerId", opt(m.transferCallerId)},
            {"transferTo", opt(m.transferTo)},
            {"tag", opt(m.tag)},
            {"channels", m.channels},
            {"fileFormat", m.fileFormat},
            {"startTime", m.startTime},
            {"endTime", m.endTime},
            {"durationSeconds", m.durationSeconds},
            {"status", m.status},
            {"errorMessage", opt(m.errorMessage)},
            {"bytes", m.bytes},
            {"hasMedia", m.hasMedia},
            {"droppedBlocks", m.droppedBlocks}};
}

RecordingMeta recordingFromJson(const json& j) {
    auto opt = [&](const char* k) -> std::optional<std::string> {
        auto it = j.find(k);
        if (it == j.end() || it->is_null()) return std::nullopt;
        return it->get<std::string>();
    };
    RecordingMeta m;
    m.recordingId = j.at("recordingId").get<std::string>();
    m.accountId = j.at("accountId").get<std::string>();
    m.applicationId = j.value("applicationId", "");
    m.callId = j.at("callId").get<std::string>();
    m.to = j.value("to", "");
    m.from = j.value("from", "");
    m.direction = j.value("direction", "outbound");
    m.transferCallerId = opt("transferCallerId");
    m.transferTo = opt("transferTo");
    m.tag = opt("tag");
    m.channels = j.value("channels", 1);
    m.fileFormat = j.value("fileFormat", "wav");
    m.startTime = j.value("startTime", "");
    m.endTime = j.value("endTime", "");
    m.durationSeconds = j.value("durationSeconds", 0.0);
    m.status = j.value("status", "complete");
    m.errorMessage = opt("errorMessage");
    m.bytes = j.value("bytes", std::uint64_t{0});
    m.hasMedia = j.value("hasMedia", true);
    m.droppedBlocks = j.value("droppedBlocks", std::uint64_t{0});
    if (!isRecordingId(m.recordingId) || !isCallId(m.callId)) throw std::runtime_error("bad ids");
    return m;
}

RecordingStore::RecordingStore(std::string root, RecordingLimits limits)
    : root_(std::move(root)), limits_(limits) {}

std::string RecordingStore::dirOf(const std::string& accountId, const std::string& callId) const {
    return (fs::path(root_) / accountId / callId).string();
}

std::string RecordingStore::mediaPath(const RecordingMeta& m) const {
    return (fs::path(dirOf(m.accountId, m.callId)) / (m.recordingId + ".wav")).string();
}

void RecordingStore::persist(const RecordingMeta& m) const {
    auto dir = fs::path(dirOf(m.accountId, m.callId));
    std::error_code ec;
    fs::create_directories(dir, ec);
    auto target = dir / (m.recordingId + ".json");
    auto tmp = dir / (m.recordingId + ".json.tmp");
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << toJson(m).dump();
        // Checked after the close: the text sits in the stream's buffer until then, and on a full
        // disk only the close fails. An unchecked failure renamed an empty sidecar over the good
        // one.
        out.close();
        if (!out) {
            base::log(base::LogLevel::Warn, "recordings: cannot write " + tmp.string() +
                                                " (disk full?): the previous metadata stays");
            fs::remove(tmp, ec);
            return;
        }
    }
    fs::rename(tmp, target, ec);  // atomic: a crash leaves the old or the new sidecar, never half
    if (ec)
        base::log(base::LogLevel::Warn,
                  "recordings: cannot write " + target.string() + ": " + ec.message());
}

std::size_t RecordingStore::load() {
    std::lock_guard lock(mutex_);
    byId_.clear();
    used_.clear();
    total_ = 0;
    std::error_code ec;
    if (!fs::is_directory(root_, ec)) return 0;
    for (auto it = fs::recursive_directory_iterator(root_, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it.depth() > 2) {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file() || it->path().extension() != ".json") continue;
        try {
            std::ifstream in(it->path());
            std::stringstream text;
            text << in.rdbuf();
            auto m = recordingFromJson(json::parse(text.str()));
            if (m.status == "processing") {  // the server stopped while it was being written
                m.status = "partial";
                std::error_code sizeEc;
                auto size = fs::file_size(mediaPath(m), sizeEc);
                m.bytes = sizeEc ? 0 : size;
                persist(m);
            }
            used_[m.accountId] += m.bytes;
            total_ += m.bytes;
            byId_[m.recordingId] = std::move(m);
        } catch (const std::exception& e) {
            base::log(base::LogLevel::Warn,
                      "recordings: ignoring " + it->path().string() + ": " + e.what());
        }
    }
    return byId_.size();
}

RecordingStore::Grant RecordingStore::reserve(const std::string& accountId, std::uint64_t minimum,
                                              std::uint64_t wanted) {
    std::lock_guard lock(mutex_);
    std::uint64_t left = wanted;
    std::string which;
    if (limits_.perAccountBytes) {
        auto used = used_[accountId];
        auto accountLeft = used >= limits_.perAccountBytes ? 0 : limits_.perAccountBytes - used;
        if (accountLeft < left) left = accountLeft, which = "the account's recording storage limit";
    }
    if (limits_.totalBytes) {
        auto totalLeft = total_ >= limits_.totalBytes ? 0 : limits_.totalBytes - total_;
        if (totalLeft < left) left = totalLeft, which = "the server's recording storage limit";
    }
    if (left < minimum || left == 0)
        return {0, which + " is reached (" + std::to_string(left) + " bytes left)"};
    used_[accountId] += left;
    total_ += left;
    return {left, {}};
}

void RecordingStore::release(const std::string& accountId, std::uint64_t reserved) {
    std::lock_guard lock(mutex_);
    auto& used = used_[accountId];
    used -= std::min(used, reserved);
    total_ -= std::min(total_, reserved);
}

void RecordingStore::begin(const RecordingMeta& meta) {
    std::lock_guard lock(mutex_);
    byId_[meta.recordingId] = meta;
    persist(meta);
}

void RecordingStore::finish(const RecordingMeta& meta, std::uint64_t reserved) {
    std::lock_guard lock(mutex_);
    auto& used = used_[meta.accountId];
    used -= std::min(used, reserved);
    total_ -= std::min(total_, reserved);
    used += meta.bytes;
    total_ += meta.bytes;
    byId_[meta.recordingId] = meta;
    persist(meta);
}

std::vector<RecordingMeta> RecordingStore::list(const std::string& accountId,
                                                const RecordingFilter& f, std::size_t limit) const {
    std::lock_guard lock(mutex_);
    std::vector<RecordingMeta> out;
    for (const auto& [id, m] : byId_) {
        if (m.accountId != accountId) continue;
        if (f.callId && m.callId != *f.callId) continue;
        if (f.to && m.to != *f.to) continue;
        if (f.from && m.from != *f.from) continue;
        // ISO 8601 UTC texts of one form compare as times; the filters' seconds are compared.
        if (f.minStartTime && m.startTime.substr(0, 19) < f.minStartTime->substr(0, 19)) continue;
        if (f.maxStartTime && m.startTime.substr(0, 19) >= f.maxStartTime->substr(0, 19)) continue;
        out.push_back(m);
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.startTime < b.startTime; });
    if (out.size() > limit) out.resize(limit);
    return out;
}

RecordingMeta* RecordingStore::find(const std::string& accountId, const std::string& callId,
                                    const std::string& recordingId) {
    auto it = byId_.find(recordingId);
    if (it == byId_.end() || it->second.accountId != accountId || it->second.callId != callId)
        return nullptr;
    return &it->second;
}

std::optional<RecordingMeta> RecordingStore::get(const std::string& accountId,
                                                 const std::string& callId,
                                                 const std::string& recordingId) const {
    std::lock_guard lock(mutex_);
    auto* m = const_cast<RecordingStore*>(this)->find(accountId, callId, recordingId);
    if (!m) return std::nullopt;
    return *m;
}

bool RecordingStore::removeMedia(const std::string& accountId, const std::string& callId,
                                 const std::string& recordingId) {
    std::lock_guard lock(mutex_);
    auto* m = find(accountId, callId, recordingId);
    if (!m) return false;
    if (m->status == "processing") throw std::logic_error("the recording is still in progress");
    std::error_code ec;
    fs::remove(mediaPath(*m), ec);
    auto& used = used_[accountId];
    used -= std::min(used, m->bytes);
    total_ -= std::min(total_, m->bytes);
    m->bytes = 0;
    m->hasMedia = false;
    persist(*m);
    return true;
}

bool RecordingStore::remove(const std::string& accountId, const std::string& callId,
                            const std::string& recordingId) {
    if (!removeMedia(accountId, callId, recordingId)) return false;
    std::lock_guard lock(mutex_);
    auto* m = find(accountId, callId, recordingId);
    if (!m) return true;
    std::error_code ec;
    fs::remove(fs::path(dirOf(accountId, callId)) / (recordingId + ".json"), ec);
    fs::remove(fs::path(dirOf(accountId, callId)), ec);  // only when empty
    byId_.erase(recordingId);
    return true;
}

std::uint64_t RecordingStore::usedBytes(const std::string& accountId) const {
    std::lock_guard lock(mutex_);
    auto it = used_.find(accountId);
    return it == used_.end() ? 0 : it->second;
}

std::uint64_t RecordingStore::totalBytes() const {
    std::lock_guard lock(mutex_);
    return total_;
}

}  // namespace sb::voice
