#pragma once
// Caps on things held at the same time (connections per server and per source address, devices
// per account and per participant). A Slot is taken under several keys at once, all or none, and
// gives them back when destroyed. Keys live only while a slot holds them, so the table is bounded
// by what is held, whatever keys clients make up. Thread-safe.

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sb::net {

class ConcurrencyLimit : public std::enable_shared_from_this<ConcurrencyLimit> {
  public:
    struct Cap {
        std::string key;
        std::size_t limit;  // 0 = unlimited
    };

    class Slot {
      public:
        Slot(std::shared_ptr<ConcurrencyLimit> owner, std::vector<std::string> keys)
            : owner_(std::move(owner)), keys_(std::move(keys)) {}
        ~Slot() { owner_->release(keys_); }
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;

      private:
        std::shared_ptr<ConcurrencyLimit> owner_;
        std::vector<std::string> keys_;
    };

    struct Result {
        std::unique_ptr<Slot> slot;  // null: refused
        std::size_t refusedBy = 0;   // index of the cap that was full
    };

    // Takes one unit under every cap, or none if any of them is at its limit.
    Result tryAcquire(const std::vector<Cap>& caps);
    std::size_t held(const std::string& key) const;

  private:
    void release(const std::vector<std::string>& keys);

    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::size_t> counts_;
};

}  // namespace sb::net
