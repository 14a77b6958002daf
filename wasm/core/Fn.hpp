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
        if (p_ && --p_->refs == 0) p_->ops->destroy(p_);
    }

    explicit operator bool() const { return p_ != nullptr; }
    R operator()(Args... args) const { return p_->ops->call(p_, std::forward<Args>(args)...); }

  private:
    // A table of two functions per callable type rather than virtual functions: a virtual
    // destructor makes two functions (complete and deleting), and a vtable carries two more
    // words (offset to top, type info) besides its slots.
    struct Base;
    struct Ops {
        R (*call)(Base* self, Args... args);
        void (*destroy)(Base* self);
    };
    struct Base {
        const Ops* ops;
        int refs = 1;
    };
    template <class F>
    struct Impl final : Base {
        // By reference: the callable is moved once, from Fn's parameter into place.
        explicit Impl(F&& fn) : Base{&kOps}, f(std::move(fn)) {}
        static R call(Base* self, Args... args) {
            return static_cast<Impl*>(self)->f(std::forward<Args>(args)...);
        }
        static void destroy(Base* self) { delete static_cast<Impl*>(self); }
        static constexpr Ops kOps{&Impl::call, &Impl::destroy};
        F f;
    };
    Base* p_ = nullptr;
};

}  // namespace sb::sdk
