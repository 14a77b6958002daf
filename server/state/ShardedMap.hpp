#pragma once
// A string-keyed hash map split into shards by key hash, for MemorySessionStore. A plain
// unordered_map rehashes all of its elements at once when it grows: with a few hundred thousand
// participants that is tens of milliseconds with the store's lock held, and every request waits.
// Here a growth rehashes one shard: 1/64 of the elements.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace sb::state {

template <typename V>
class ShardedMap {
  public:
    static constexpr std::size_t kShards = 64;

    V* find(const std::string& key) {
        auto& s = shard(key);
        auto it = s.find(key);
        return it == s.end() ? nullptr : &it->second;
    }
    const V* find(const std::string& key) const {
        const auto& s = shards_[index(key)];
        auto it = s.find(key);
        return it == s.end() ? nullptr : &it->second;
    }
    // The value of `key`, value-initialised if absent.
    V& operator[](const std::string& key) { return shard(key)[key]; }
    bool erase(const std::string& key) { return shard(key).erase(key) > 0; }
    std::size_t size() const {
        std::size_t n = 0;
        for (const auto& s : shards_) n += s.size();
        return n;
    }
    // Calls f(key, value) for every element, in no particular order.
    template <typename F>
    void forEach(F&& f) const {
        for (const auto& s : shards_)
            for (const auto& [k, v] : s) f(k, v);
    }

  private:
    using Shard = std::unordered_map<std::string, V>;
    static std::size_t index(const std::string& key) {
        // The top bits of a multiplicative mix: independent of the bucket index within a shard.
        auto h = static_cast<std::uint64_t>(std::hash<std::string>{}(key)) * 0x9E3779B97F4A7C15ull;
        return static_cast<std::size_t>(h >> 58);
    }
    Shard& shard(const std::string& key) { return shards_[index(key)]; }
    static_assert(kShards == 64, "shard() takes the top 6 bits");

    std::array<Shard, kShards> shards_;
};

}  // namespace sb::state
