#include "server/signaling/MediaJson.hpp"

#include "protocol/Methods.hpp"

namespace sb::signaling {

using nlohmann::json;
using protocol::RpcError;
using protocol::RpcErrorCode;

json toJson(const media::StreamMetadata& metadata) {
    json out = json::object();
    for (const auto& [msid, s] : metadata) {
        json entry{{"endpointId", s.endpointId},
                   {"participantId", s.participantId},
                   {"mediaTypes", s.mediaTypes}};
        if (s.alias) entry["alias"] = *s.alias;
        out[msid] = std::move(entry);
    }
    return out;
}

json toJson(const media::PublishAnswer& answer) {
    return {{"endpointId", answer.endpointId},
            {"sdpAnswer", answer.sdp},
            {"streamMetadata", toJson(answer.metadata)}};
}

json toJson(const media::StreamsOffer& offer) {
    return {{"endpointId", offer.endpointId},
            {"sdpOffer", offer.sdp},
            {"sdpRevision", offer.revision},
            {"streamMetadata", toJson(offer.metadata)}};
}

json toJson(const media::HeardDtmf& dtmf) {
    return {{"participantId", dtmf.participantId},
            {"tone", dtmf.tone},
            {"endpointId", dtmf.endpointId}};
}

std::string noticeFrame(const media::StreamNotice& notice) {
    json params{{"endpointId", notice.endpointId}, {"participantId", notice.participantId}};
    if (notice.kind == media::StreamNotice::Kind::Speaking) {
        params["speaking"] = notice.on;
        return protocol::rpcNotification(protocol::method::kActiveSpeakerChange, params);
    }
    params["kind"] = notice.media;
    params["muted"] = notice.on;
    return protocol::rpcNotification(protocol::method::kRemoteMuteChange, params);
}

RpcError rpcErrorOf(const media::MediaError& error) {
    switch (error.kind) {
        case media::MediaError::Kind::NotConnected:
        case media::MediaError::Kind::Busy:
            return RpcError(RpcErrorCode::InvalidState, error.message);
        case media::MediaError::Kind::NotPermitted:
            return RpcError(RpcErrorCode::NotPermitted, error.message);
        case media::MediaError::Kind::MediaServer:
            break;
    }
    return RpcError(RpcErrorCode::MediaServer, "Media server error: " + error.message);
}

nlohmann::json replyJson(const media::PublishAnswer& answer) {
    return toJson(answer);
}
nlohmann::json replyJson(bool) {
    return nlohmann::json::object();
}
nlohmann::json replyJson(int delivered) {
    return nlohmann::json{{"delivered", delivered}};
}

std::pair<std::uint16_t, std::string> closeOf(media::CloseReason reason) {
    switch (reason) {
        case media::CloseReason::ParticipantDeleted:
            return {4404, "participant deleted"};
        case media::CloseReason::SessionDeleted:
            return {4410, "session deleted"};
    }
    return {1011, "closed"};
}

}  // namespace sb::signaling
