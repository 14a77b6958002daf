#pragma once
// The SIP final response for a phone that cannot join its participant's session: one table from
// media's typed join failure to a status code (RFC 3261 §21).

#include "server/media/MediaEvents.hpp"

namespace sb::bridge {

constexpr int sipStatusOf(media::JoinError error) {
    switch (error) {
        // The token was good but names nobody to join: 404 Not Found (§21.4.5).
        case media::JoinError::NotInSession:
        case media::JoinError::NoParticipant:
            return 404;
        // The media server cannot take the call now: 503 Service Unavailable (§21.5.4).
        case media::JoinError::AlreadyAttached:
        case media::JoinError::MediaUnavailable:
        case media::JoinError::MediaRefused:
        case media::JoinError::CallEnded:
            return 503;
    }
    return 503;
}

}  // namespace sb::bridge
