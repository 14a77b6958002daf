#include "server/state/StoreOp.hpp"

#include <stdexcept>

namespace sb::state {

namespace {

// Little-endian fixed-width integers; strings as a 32-bit length and the bytes; optionals as a
// presence byte and the value.
class Writer {
  public:
    explicit Writer(std::string& out) : out_(out) {}
    void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    }
    void i64(std::int64_t v) {
        auto u = static_cast<std::uint64_t>(v);
        for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
    }
    void str(const std::string& s) {
        u32(static_cast<std::uint32_t>(s.size()));
        out_.append(s);
    }
    void optStr(const std::optional<std::string>& s) {
        u8(s ? 1 : 0);
        if (s) str(*s);
    }
    void subs(const std::optional<Subscriptions>& s) {
        u8(s ? 1 : 0);
        if (!s) return;
        optStr(s->sessionId);
        u32(static_cast<std::uint32_t>(s->participants.size()));
        for (const auto& p : s->participants) {
            str(p.participantId);
            u32(static_cast<std::uint32_t>(p.streamAliases.size()));
            for (const auto& a : p.streamAliases) str(a);
        }
    }

  private:
    std::string& out_;
};

class Reader {
  public:
    explicit Reader(std::string_view in) : in_(in) {}
    std::uint8_t u8() { return static_cast<std::uint8_t>(take(1)[0]); }
    std::uint32_t u32() {
        auto b = take(4);
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v |= std::uint32_t{static_cast<unsigned char>(b[i])} << (8 * i);
        return v;
    }
    std::int64_t i64() {
        auto b = take(8);
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= std::uint64_t{static_cast<unsigned char>(b[i])} << (8 * i);
        return static_cast<std::int64_t>(v);
    }
    std::string str() {
        auto n = u32();
        return std::string(take(n));
    }
    std::optional<std::string> optStr() {
        if (!flag()) return std::nullopt;
        return str();
    }
    std::optional<Subscriptions> subs() {
        if (!flag()) return std::nullopt;
        Subscriptions s;
        s.sessionId = optStr();
        for (auto n = count(); n > 0; --n) {
            ParticipantSubscription p;
            p.participantId = str();
            for (auto a = count(); a > 0; --a) p.streamAliases.push_back(str());
            s.participants.push_back(std::move(p));
        }
        return s;
    }
    bool flag() {
        auto v = u8();
        if (v > 1) bad();
        return v == 1;
    }
    void finish() const {
        if (!in_.empty()) bad();
    }

  private:
    // A count of items that each take at least 4 bytes: larger than what is left means corrupt.
    std::uint32_t count() {
        auto n = u32();
        if (n > in_.size() / 4) bad();
        return n;
    }
    std::string_view take(std::size_t n) {
        if (n > in_.size()) bad();
        auto out = in_.substr(0, n);
        in_.remove_prefix(n);
        return out;
    }
    [[noreturn]] static void bad() { throw std::runtime_error("store op: malformed record"); }

    std::string_view in_;
};

}  // namespace

StoreOp StoreOp::createSession(const Session& s) {
    StoreOp op;
    op.kind = Kind::CreateSession;
    op.session = s;
    return op;
}

StoreOp StoreOp::deleteSession(const std::string& accountId, const std::string& sessionId) {
    StoreOp op;
    op.kind = Kind::DeleteSession;
    op.session.id = sessionId;
    op.session.accountId = accountId;
    return op;
}

StoreOp StoreOp::createParticipant(const Participant& p) {
    StoreOp op;
    op.kind = Kind::CreateParticipant;
    op.participant = p;
    return op;
}

StoreOp StoreOp::deleteParticipant(const std::string& accountId, const std::string& participantId) {
    StoreOp op;
    op.kind = Kind::DeleteParticipant;
    op.participant.id = participantId;
    op.participant.accountId = accountId;
    return op;
}

StoreOp StoreOp::setMembership(const std::string& accountId, const std::string& participantId,
                               const std::optional<std::string>& sessionId,
                               const std::optional<Subscriptions>& subscriptions) {
    StoreOp op;
    op.kind = Kind::SetMembership;
    op.participant.id = participantId;
    op.participant.accountId = accountId;
    op.participant.sessionId = sessionId;
    if (sessionId) op.participant.subscriptions = subscriptions;
    return op;
}

void encodeStoreOp(const StoreOp& op, std::string& out) {
    Writer w(out);
    w.u8(static_cast<std::uint8_t>(op.kind));
    const Session& s = op.session;
    const Participant& p = op.participant;
    switch (op.kind) {
        case StoreOp::Kind::CreateSession:
            w.str(s.id);
            w.str(s.accountId);
            w.optStr(s.tag);
            w.i64(s.createdAt);
            w.i64(s.expiresAt);
            return;
        case StoreOp::Kind::DeleteSession:
            w.str(s.id);
            w.str(s.accountId);
            return;
        case StoreOp::Kind::CreateParticipant:
            w.str(p.id);
            w.str(p.accountId);
            w.optStr(p.callbackUrl);
            w.u8(static_cast<std::uint8_t>((p.publishPermissions.audio ? 1 : 0) |
                                           (p.publishPermissions.video ? 2 : 0)));
            w.optStr(p.tag);
            w.str(p.deviceApiVersion);
            w.i64(p.createdAt);
            w.optStr(p.sessionId);
            w.subs(p.subscriptions);
            return;
        case StoreOp::Kind::DeleteParticipant:
            w.str(p.id);
            w.str(p.accountId);
            return;
        case StoreOp::Kind::SetMembership:
            w.str(p.id);
            w.str(p.accountId);
            w.optStr(p.sessionId);
            w.subs(p.subscriptions);
            return;
    }
    throw std::logic_error("store op: unknown kind");
}

StoreOp decodeStoreOp(std::string_view bytes) {
    Reader r(bytes);
    StoreOp op;
    Session& s = op.session;
    Participant& p = op.participant;
    auto kind = r.u8();
    switch (kind) {
        case 1:
            s.id = r.str();
            s.accountId = r.str();
            s.tag = r.optStr();
            s.createdAt = r.i64();
            s.expiresAt = r.i64();
            break;
        case 2:
            s.id = r.str();
            s.accountId = r.str();
            break;
        case 3: {
            p.id = r.str();
            p.accountId = r.str();
            p.callbackUrl = r.optStr();
            auto perms = r.u8();
            if (perms > 3) throw std::runtime_error("store op: malformed record");
            p.publishPermissions = {(perms & 1) != 0, (perms & 2) != 0};
            p.tag = r.optStr();
            p.deviceApiVersion = r.str();
            p.createdAt = r.i64();
            p.sessionId = r.optStr();
            p.subscriptions = r.subs();
            break;
        }
        case 4:
            p.id = r.str();
            p.accountId = r.str();
            break;
        case 5:
            p.id = r.str();
            p.accountId = r.str();
            p.sessionId = r.optStr();
            p.subscriptions = r.subs();
            break;
        default:
            throw std::runtime_error("store op: unknown kind " + std::to_string(kind));
    }
    r.finish();
    op.kind = static_cast<StoreOp::Kind>(kind);
    return op;
}

}  // namespace sb::state
