#pragma once
// Media's typed results and events as the device protocol carries them (reference §2.3):
// the one place where a MediaError becomes a JSON-RPC error and a StreamMetadata becomes JSON.

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "protocol/JsonRpc.hpp"
#include "server/media/MediaEvents.hpp"

namespace sb::signaling {

nlohmann::json toJson(const media::StreamMetadata& metadata);
nlohmann::json toJson(const media::PublishAnswer& answer);  // offerSdp's result
nlohmann::json toJson(const media::StreamsOffer& offer);    // sdpOffer's params
nlohmann::json toJson(const media::HeardDtmf& dtmf);        // dtmf's params
// A StreamNotice as its notification frame: remoteMuteChange {endpointId, participantId, kind,
// muted} or activeSpeakerChange {endpointId, participantId, speaking}.
std::string noticeFrame(const media::StreamNotice& notice);
protocol::RpcError rpcErrorOf(const media::MediaError& error);
// The result of a device request that media answered: offerSdp's, answerSdp's (`{}`) and
// sendDtmf's (`{"delivered": n}`).
nlohmann::json replyJson(const media::PublishAnswer& answer);
nlohmann::json replyJson(bool accepted);
nlohmann::json replyJson(int delivered);

// The reply to request `m` once media answers, sent by `owner` (its send()) if it is still there:
// the result as JSON, or the error as a JSON-RPC error. Nothing for a notification.
template <class T, class Owner>
media::MediaReply<T> replyLater(const protocol::RpcMessage& m, std::weak_ptr<Owner> owner) {
    return [owner = std::move(owner), id = m.id,
            request = m.kind == protocol::RpcMessage::Kind::Request](
               std::optional<media::MediaError> error, T result) {
        auto self = owner.lock();
        if (!self || !request) return;
        self->send(error ? protocol::rpcError(id, rpcErrorOf(*error))
                         : protocol::rpcResult(id, replyJson(result)));
    };
}
// WebSocket close code and reason (4404, 4410: the HTTP status of the cause, plus 4000).
std::pair<std::uint16_t, std::string> closeOf(media::CloseReason reason);

}  // namespace sb::signaling
