// The SIP final response for a phone that cannot join (server/bridge/JoinStatus.hpp): nobody to
// join is 404, a media server that cannot take the call is 503 (docs/architecture.md, RFC 3261
// §21.4.5 and §21.5.4). One row per JoinError, so a new kind cannot go unmapped unnoticed.
#include <catch2/catch.hpp>

#include "server/bridge/JoinStatus.hpp"

using sb::bridge::sipStatusOf;
using sb::media::JoinError;

TEST_CASE("Every join failure maps to its documented SIP status", "[server][bridge][JoinStatus]") {
    struct Row {
        JoinError error;
        int status;
    };
    for (auto [error, status] : {
             Row{JoinError::NoParticipant, 404},     // the token's participant was deleted
             Row{JoinError::NotInSession, 404},      // the participant is in no session
             Row{JoinError::AlreadyAttached, 503},   // the call is already attached: retry later
             Row{JoinError::MediaUnavailable, 503},  // no media server (or no RTP ports)
             Row{JoinError::MediaRefused, 503},      // Janus refused the remote publisher
             Row{JoinError::CallEnded, 503},         // hung up while joining
         }) {
        INFO("JoinError " << static_cast<int>(error));
        CHECK(sipStatusOf(error) == status);
    }
}

TEST_CASE("The table is usable at compile time", "[server][bridge][JoinStatus]") {
    static_assert(sipStatusOf(JoinError::NotInSession) == 404);
    static_assert(sipStatusOf(JoinError::MediaUnavailable) == 503);
    // A value outside the enum (a newer peer's kind) falls back to 503, never to success.
    CHECK(sipStatusOf(static_cast<JoinError>(99)) == 503);
}
