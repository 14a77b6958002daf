#include "server/net/ConcurrencyLimit.hpp"

namespace sb::net {

ConcurrencyLimit::Result ConcurrencyLimit::tryAcquire(const std::vector<Cap>& caps) {
    Result out;
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < caps.size(); ++i) {
        if (caps[i].limit == 0) continue;
        auto it = counts_.find(caps[i].key);
        if (it != counts_.end() && it->second >= caps[i].limit) {
            out.refusedBy = i;
            return out;
        }
    }
    std::vector<std::string> keys;
    keys.reserve(caps.size());
    for (const auto& cap : caps) {
        ++counts_[cap.key];
        keys.push_back(cap.key);
    }
    out.slot = std::make_unique<Slot>(shared_from_this(), std::move(keys));
    return out;
}

void ConcurrencyLimit::release(const std::vector<std::string>& keys) {
    std::lock_guard lock(mutex_);
    for (const auto& key : keys) {
        auto it = counts_.find(key);
        if (it == counts_.end()) continue;
        if (--it->second == 0) counts_.erase(it);
    }
}

std::size_t ConcurrencyLimit::held(const std::string& key) const {
    std::lock_guard lock(mutex_);
    auto it = counts_.find(key);
    return it == counts_.end() ? 0 : it->second;
}

}  // namespace sb::net
