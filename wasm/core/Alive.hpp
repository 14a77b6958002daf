#pragma once
// Liveness of an object, for the callbacks it hands out: what the SDK uses instead of
// shared_ptr/weak_ptr tokens. The owner holds an Alive; each callback captures a Watch of it
// and returns early once expired() (the owner was closed or destroyed). Size is the reason
// (bench/size/): libc++'s shared_ptr control block brings the libc++abi type_info classes into
// the wasm (about 3 KB) even under -fno-rtti. Single-threaded, like everything in the core.

namespace sb::sdk {

class Watch;

class Alive {
  public:
    Alive() : flag_(new Flag) {}
    ~Alive() { release(); }
    Alive(const Alive&) = delete;
    Alive& operator=(const Alive&) = delete;

    // Expires every Watch taken so far; later ones watch afresh (the owner is reused).
    void renew() {
        release();
        flag_ = new Flag;
    }
    inline Watch watch() const;

  private:
    friend class Watch;
    struct Flag {
        int refs = 1;
        bool alive = true;
    };
    // Out of line (Alive.cpp): inlined, GCC's -Wuse-after-free misreads the reference count.
    // Null (a moved-from Watch) is nothing to release.
    static void unref(Flag* flag);
    void release() {
        flag_->alive = false;
        unref(flag_);
    }
    Flag* flag_;
};

class Watch {
  public:
    Watch(const Watch& other) : flag_(other.flag_) { ++flag_->refs; }
    // Moved-from, a Watch is only destroyed (a callable moved into an Fn).
    Watch(Watch&& other) noexcept : flag_(other.flag_) { other.flag_ = nullptr; }
    Watch& operator=(const Watch&) = delete;
    ~Watch() { Alive::unref(flag_); }
    bool expired() const { return !flag_->alive; }

  private:
    friend class Alive;
    explicit Watch(Alive::Flag* flag) : flag_(flag) { ++flag_->refs; }
    Alive::Flag* flag_;
};

Watch Alive::watch() const {
    return Watch(flag_);
}

}  // namespace sb::sdk
