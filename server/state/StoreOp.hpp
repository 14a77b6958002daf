#pragma once
// One change to the store, in the form JournaledSessionStore writes to its OpLog and OpApplier
// applies to SQLite. Every op sets state (no op depends on what it replaces), and ops are applied
// in journal order.

#include <cstdint>
#include <string>
#include <string_view>

#include "server/state/Model.hpp"

namespace sb::state {

struct StoreOp {
    enum class Kind : std::uint8_t {
        CreateSession = 1,      // session: whole
        DeleteSession = 2,      // session: id, accountId
        CreateParticipant = 3,  // participant: whole
        DeleteParticipant = 4,  // participant: id, accountId
        SetMembership = 5,      // participant: id, accountId, sessionId, subscriptions
    };
    Kind kind = Kind::CreateSession;
    Session session;
    Participant participant;

    static StoreOp createSession(const Session& s);
    static StoreOp deleteSession(const std::string& accountId, const std::string& sessionId);
    static StoreOp createParticipant(const Participant& p);
    static StoreOp deleteParticipant(const std::string& accountId,
                                     const std::string& participantId);
    static StoreOp setMembership(const std::string& accountId, const std::string& participantId,
                                 const std::optional<std::string>& sessionId,
                                 const std::optional<Subscriptions>& subscriptions);

    bool operator==(const StoreOp& o) const {
        return kind == o.kind && session == o.session && participant == o.participant;
    }
};

// Appends the binary form of `op` to `out` (only the fields its kind uses).
void encodeStoreOp(const StoreOp& op, std::string& out);
// The inverse; throws std::runtime_error if `bytes` is not exactly one encoded op.
StoreOp decodeStoreOp(std::string_view bytes);

}  // namespace sb::state
