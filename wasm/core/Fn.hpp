#pragma once
// A shared, reference-counted callable: what the SDK uses instead of std::function. Size is the
// reason (bench/size/): std::function instantiates six functions per lambda (call, two clones,
// two destroys, target) and deep-copies the captures on every copy; Fn instantiates a call and a
// destructor, and a copy is a counter increment. Copies share one lambda, which is the same
// behaviour for the SDK's lambdas: none of them is `mutable`.

#include <cstddef>
#include <type_traits>
#include <utility>

namespace sb::sdk {

template <class Signature>
class Fn;

template <class R, class... Args>
class Fn<R(Args...)> {
  public:
    Fn() = default;
    Fn(std::nullptr_t) {}
    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Fn>>>
    Fn(F f) : p_(new Impl<std::decay_t<F>>(std::move(f))) {}
    Fn(const Fn& other) : p_(other.p_) {
        if (p_) ++p_->refs;
    }
    Fn(Fn&& other) noexcept : p_(other.p_) { other.p_ = nullptr; }
    Fn& operator=(Fn other) noexcept {
        std::swap(p_, other.p_);
        return *this;
    }
    ~Fn() {
        if (p_ && --p_->refs == 0) p_->destroy();
    }

    explicit operator bool() const { return p_ != nullptr; }
    R operator()(Args... args) const { return p_->call(std::forward<Args>(args)...); }

  private:
    // destroy() rather than a virtual destructor: one function per callable type where a
    // virtual destructor makes two (complete and deleting).
    struct Base {
        int refs = 1;
        virtual R call(Args... args) = 0;
        virtual void destroy() = 0;

      protected:
        ~Base() = default;
    };
    template <class F>
    struct Impl final : Base {
        // By reference: the callable is moved once, from Fn's parameter into place.
        explicit Impl(F&& fn) : f(std::move(fn)) {}
        R call(Args... args) override { return f(std::forward<Args>(args)...); }
        void destroy() override { delete this; }
        F f;
    };
    Base* p_ = nullptr;
};

}  // namespace sb::sdk
