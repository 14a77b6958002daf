#include "server/media/VideoRoom.hpp"

#include "server/media/JanusMessages.hpp"

namespace sb::media {

using nlohmann::json;

namespace {
constexpr const char* kPlugin = "janus.plugin.videoroom";

JanusError errorOf(const JanusReply& r) {
    return {r.code, r.error};
}

json streamList(const std::set<FeedMid>& streams) {
    json list = json::array();
    for (const auto& [feed, mid] : streams) list.push_back({{"feed", feed}, {"mid", mid}});
    return list;
}

// The "streams" of a subscriber offer (VideoRoom "updated"/"attached" events). An entry of
// another shape is skipped, like an inactive one.
SubscriberOffer offerOf(const json& data, const json& jsep) {
    SubscriberOffer offer;
    offer.sdp = janus::stringAt(jsep, "sdp").value_or("");
    for (const auto& s : janus::arrayAt(data, "streams")) {
        auto feed = janus::uintAt(s, "feed_id");
        if (!janus::boolAt(s, "active").value_or(true) || !feed) continue;
        offer.active.push_back({*feed, janus::stringAt(s, "feed_mid").value_or(""),
                                janus::stringAt(s, "mid").value_or("")});
    }
    return offer;
}

// One attempt after another, `policy.delay` apart, until Janus answers anything but 428 or
// `policy.retries` retries were made; `done` gets that last reply. Captures no VideoRoom: a retry
// may be due after the registry that owns the VideoRoom is gone.
void retrying(const Scheduler& schedule, NoSuchFeedRetry policy,
              const std::function<void(JanusCallback)>& attempt, const JanusCallback& done,
              int retried) {
    attempt([schedule, policy, attempt, done, retried](const JanusReply& r) {
        if (r.ok || r.code != janus::kNoSuchFeed) return done(r);
        if (retried >= policy.retries) {
            JanusReply last = r;
            last.error += " (asked " + std::to_string(retried + 1) + " times)";
            return done(last);
        }
        schedule(policy.delay, [schedule, policy, attempt, done, retried] {
            retrying(schedule, policy, attempt, done, retried + 1);
        });
    });
}

std::optional<SubscriberOffer> subscriberReply(const JanusReply& r) {
    if (!r.jsep.is_object()) return std::nullopt;  // nothing to renegotiate
    return offerOf(r.data, r.jsep);
}
}  // namespace

bool JanusError::noSuchFeed() const {
    return code == janus::kNoSuchFeed;
}

VideoRoom::VideoRoom(std::shared_ptr<JanusPort> janus, RoomOptions options, Scheduler scheduler,
                     NoSuchFeedRetry retry)
    : janus_(std::move(janus)),
      options_(std::move(options)),
      scheduler_(std::move(scheduler)),
      retry_(retry) {}

void VideoRoom::withRetry(const Attempt& attempt, const JanusCallback& done) const {
    retrying(scheduler_, retry_, attempt, done, 0);
}

json VideoRoom::authorized(json body, bool admin) const {
    body["secret"] = options_.secret;
    if (admin && !options_.adminKey.empty()) body["admin_key"] = options_.adminKey;
    return body;
}

void VideoRoom::attach(Done<HandleId> done) {
    janus_->attach(kPlugin,
                   [done = std::move(done)](bool ok, HandleId h, const std::string& error) {
                       if (!ok) return done(JanusError{0, error}, 0);
                       done(std::nullopt, h);
                   });
}

void VideoRoom::detach(HandleId handle) {
    janus_->detach(handle);
}

void VideoRoom::createRoom(HandleId control, std::uint64_t room, const std::string& description,
                           Ack done) {
    json body{{"request", "create"},
              {"room", room},
              {"description", description},
              {"publishers", options_.maxPublishers},
              {"audiocodec", "opus,pcmu"},
              {"videocodec", "vp8,h264"},
              {"permanent", false},
              {"is_private", true},
              // Talk detection for docs/protocol.md `activeSpeakerChange`; the audio-level header
              // extension (RFC 6464) it reads is negotiated by default (`audiolevel_ext`).
              {"audiolevel_event", true},
              {"audio_active_packets", options_.audioActivePackets},
              {"audio_level_average", options_.audioLevelAverage}};
    janus_->message(control, authorized(std::move(body), true), nullptr,
                    [done = std::move(done)](const JanusReply& r) {
                        done(r.ok ? std::nullopt : std::optional<JanusError>(errorOf(r)));
                    });
}

void VideoRoom::destroyRoom(HandleId control, std::uint64_t room) {
    json body{{"request", "destroy"}, {"room", room}};
    janus_->message(control, authorized(std::move(body), false), nullptr, [](const JanusReply&) {});
}

void VideoRoom::listRooms(HandleId control,
                          Done<std::vector<std::pair<std::uint64_t, std::string>>> done) {
    janus_->message(control, authorized(json{{"request", "list"}}, true), nullptr,
                    [done = std::move(done)](const JanusReply& r) {
                        std::vector<std::pair<std::uint64_t, std::string>> rooms;
                        if (!r.ok) return done(errorOf(r), rooms);
                        for (const auto& room : janus::arrayAt(r.data, "list")) {
                            if (rooms.size() >= kMaxListedRooms) break;
                            auto id = janus::uintAt(room, "room");
                            if (id)
                                rooms.emplace_back(
                                    *id, janus::stringAt(room, "description").value_or(""));
                        }
                        done(std::nullopt, std::move(rooms));
                    });
}

void VideoRoom::publish(HandleId handle, PublishMode mode, std::uint64_t room,
                        const std::string& display, const std::string& offerSdp,
                        Done<PublisherAnswer> done) {
    json body;
    switch (mode) {
        case PublishMode::JoinAndConfigure:
            body = {{"request", "joinandconfigure"},
                    {"ptype", "publisher"},
                    {"room", room},
                    {"display", display}};
            break;
        case PublishMode::Publish:
            body = {{"request", "publish"}};
            break;
        case PublishMode::Configure:
            body = {{"request", "configure"}};
            break;
    }
    json jsep{{"type", "offer"}, {"sdp", offerSdp}};
    janus_->message(handle, std::move(body), std::move(jsep),
                    [done = std::move(done)](const JanusReply& r) {
                        if (!r.ok) return done(errorOf(r), {});
                        if (!r.jsep.is_object())
                            return done(JanusError{0, "no answer from the media server"}, {});
                        PublisherAnswer answer;
                        // parseReply checked the jsep; the publisher id ("id", a positive integer)
                        // is ours to check.
                        answer.feed = janus::uintAt(r.data, "id");
                        if (r.data.contains("id") && (!answer.feed || *answer.feed == 0))
                            return done(JanusError{0, janus::kMalformed}, {});
                        answer.sdp = janus::stringAt(r.jsep, "sdp").value_or("");
                        done(std::nullopt, std::move(answer));
                    });
}

void VideoRoom::subscribe(std::uint64_t room, const std::set<FeedMid>& streams,
                          Done<Subscribed> done) {
    const json body{{"request", "join"},
                    {"ptype", "subscriber"},
                    {"room", room},
                    {"streams", streamList(streams)}};
    auto handle = std::make_shared<HandleId>(0);  // the current attempt's
    withRetry(
        [janus = janus_, body, handle](const JanusCallback& reply) {
            janus->attach(kPlugin, [janus, body, handle, reply](bool ok, HandleId h,
                                                                const std::string& error) {
                if (!ok) {
                    JanusReply failed;
                    failed.error = error;
                    return reply(failed);
                }
                *handle = h;
                janus->message(h, body, nullptr, [janus, h, reply](const JanusReply& r) {
                    if (!r.ok) janus->detach(h);  // unjoined: of no use to anyone
                    reply(r);
                });
            });
        },
        [handle, done = std::move(done)](const JanusReply& r) {
            if (!r.ok) return done(errorOf(r), {});
            done(std::nullopt, Subscribed{*handle, subscriberReply(r)});
        });
}

void VideoRoom::update(HandleId handle, const std::set<FeedMid>& add,
                       const std::set<FeedMid>& remove, Done<std::optional<SubscriberOffer>> done) {
    json body{{"request", "update"}};
    if (!add.empty()) body["subscribe"] = streamList(add);
    if (!remove.empty()) body["unsubscribe"] = streamList(remove);
    withRetry([janus = janus_, handle, body = std::move(body)](
                  const JanusCallback& reply) { janus->message(handle, body, nullptr, reply); },
              [done = std::move(done)](const JanusReply& r) {
                  if (!r.ok) return done(errorOf(r), std::nullopt);
                  done(std::nullopt, subscriberReply(r));
              });
}

void VideoRoom::start(HandleId handle, const std::string& answerSdp, Ack done) {
    json jsep{{"type", "answer"}, {"sdp", answerSdp}};
    janus_->message(handle, {{"request", "start"}}, std::move(jsep),
                    [done = std::move(done)](const JanusReply& r) {
                        done(r.ok ? std::nullopt : std::optional<JanusError>(errorOf(r)));
                    });
}

void VideoRoom::restartSubscriber(HandleId handle, Done<std::optional<SubscriberOffer>> done) {
    janus_->message(handle, {{"request", "configure"}, {"restart", true}}, nullptr,
                    [done = std::move(done)](const JanusReply& r) {
                        if (!r.ok) return done(errorOf(r), std::nullopt);
                        auto offer = subscriberReply(r);
                        if (!offer)
                            return done(JanusError{0, "no offer from the media server"}, {});
                        done(std::nullopt, std::move(offer));
                    });
}

void VideoRoom::addRemotePublisher(HandleId control, std::uint64_t room, const std::string& iface,
                                   Done<RemotePublisher> done) {
    // Janus demultiplexes a remote publisher's streams by SSRC 1000 + 10·mindex; a phone sends
    // one PCMU stream (the bridge rewrites its SSRC to 1000).
    json body{{"request", "add_remote_publisher"},
              {"room", room},
              {"display", "phone"},
              {"iface", iface},
              {"port", 0},
              {"streams",
               json::array({{{"type", "audio"}, {"mindex", 0}, {"mid", "0"}, {"codec", "pcmu"}}})}};
    janus_->message(control, authorized(std::move(body), true), nullptr,
                    [done = std::move(done), iface](const JanusReply& r) {
                        if (!r.ok) return done(errorOf(r), {});
                        auto id = janus::uintAt(r.data, "id");
                        auto port = janus::uintAt(r.data, "port");
                        if (!id || !port || *port == 0 || *port > 65535)
                            return done(JanusError{0, janus::kMalformed}, {});
                        RemotePublisher remote;
                        remote.id = *id;
                        remote.host = janus::stringAt(r.data, "ip").value_or(iface);
                        remote.port = static_cast<std::uint16_t>(*port);
                        done(std::nullopt, std::move(remote));
                    });
}

void VideoRoom::rtpForward(HandleId control, std::uint64_t room, const FeedMid& stream,
                           const std::string& host, std::uint16_t port, std::uint32_t ssrc,
                           Done<std::uint64_t> done) {
    json body{{"request", "rtp_forward"},
              {"room", room},
              {"publisher_id", stream.first},
              {"host", host},
              {"host_family", "ipv4"},
              {"streams", json::array({{{"mid", stream.second}, {"port", port}, {"ssrc", ssrc}}})}};
    withRetry([janus = janus_, control, body = authorized(std::move(body), true)](
                  const JanusCallback& reply) { janus->message(control, body, nullptr, reply); },
              [done = std::move(done)](const JanusReply& r) {
                  if (!r.ok) return done(errorOf(r), 0);
                  const auto& forwarders = janus::arrayAt(r.data, "forwarders");
                  auto streamId =
                      forwarders.empty() ? std::nullopt : janus::uintAt(forwarders[0], "stream_id");
                  if (!streamId) return done(JanusError{0, janus::kMalformed}, 0);
                  done(std::nullopt, *streamId);
              });
}

void VideoRoom::stopRtpForward(HandleId control, std::uint64_t room, std::uint64_t feed,
                               std::uint64_t streamId) {
    json body{{"request", "stop_rtp_forward"},
              {"room", room},
              {"publisher_id", feed},
              {"stream_id", streamId}};
    janus_->message(control, authorized(std::move(body), true), nullptr, [](const JanusReply&) {});
}

HandleEvent VideoRoom::readEvent(const json& msg) {
    HandleEvent event;
    auto kind = janus::stringAt(msg, "janus").value_or("");
    if (kind == "webrtcup") {
        event.kind = HandleEvent::Kind::WebrtcUp;
    } else if (kind == "hangup") {
        event.kind = HandleEvent::Kind::Hangup;
    } else if (kind == "event" && msg.contains("jsep")) {
        // JanusClient checked the jsep of this event; plugindata may still be of any shape.
        const auto* plugindata = msg.contains("plugindata") ? &msg["plugindata"] : nullptr;
        const json data = plugindata && plugindata->is_object() && plugindata->contains("data")
                              ? (*plugindata)["data"]
                              : json::object();
        event.kind = HandleEvent::Kind::Offer;
        event.offer = offerOf(data, msg["jsep"]);
    } else if (kind == "event") {
        const auto& plugindata = msg.contains("plugindata") ? msg["plugindata"] : msg;
        const auto& data =
            plugindata.is_object() && plugindata.contains("data") ? plugindata["data"] : plugindata;
        auto what = janus::stringAt(data, "videoroom").value_or("");
        auto feed = janus::uintAt(data, "id");
        if ((what == "talking" || what == "stopped-talking") && feed) {
            event.kind = HandleEvent::Kind::Talking;
            event.feed = *feed;
            event.mid = janus::stringAt(data, "mid").value_or("");
            event.talking = what == "talking";
        }
    }
    return event;
}

}  // namespace sb::media
