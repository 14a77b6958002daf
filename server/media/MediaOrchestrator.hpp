#pragma once
// Media (DESIGN "server/"): the entry point the rest of the server uses. Every call may come from
// any thread; it is posted onto one strand, shared with the JanusClient, where the room registry
// (MediaRooms) and its legs run without locks. Results and events are typed (MediaEvents.hpp).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/media/JanusClient.hpp"
#include "server/media/LegHost.hpp"
#include "server/media/MediaEvents.hpp"

namespace sb::media {

class MediaRooms;

class MediaOrchestrator : public std::enable_shared_from_this<MediaOrchestrator> {
  public:
    MediaOrchestrator(const boost::asio::any_io_executor& executor, MediaConfig config,
                      const Membership& membership);
    ~MediaOrchestrator();

    void start();
    void stop();

    // `loopback`: the device also receives its own streams (docs/protocol.md "Loopback
    // (preflight)").
    void attachDevice(const std::string& deviceId, const std::string& accountId,
                      const std::string& participantId, const std::shared_ptr<DeviceSink>& sink,
                      bool loopback = false);
    void detachDevice(const std::string& deviceId);
    // The device's legs are gone (MediaRooms::mediaLost): `mediaReset` once Janus is ready.
    void mediaLost(const std::string& deviceId, const std::string& reason);
    // offerSdp of the publishing peer connection; `aliases` maps msid → alias.
    void offer(const std::string& deviceId, std::string sdp,
               std::map<std::string, std::string> aliases, MediaReply<PublishAnswer> reply);
    // answerSdp for the last StreamsOffer sent to the device.
    void answer(const std::string& deviceId, std::string sdp, MediaReply<bool> reply);
    // restartIce of the subscribing peer connection: true once asked (the offer follows).
    void restartIce(const std::string& deviceId, MediaReply<bool> reply);
    // setStreamMuted (docs/protocol.md): BrowserLeg::setMuted of the device's leg.
    void setStreamMuted(const std::string& deviceId, const std::string& msid,
                        const std::string& kind, bool muted, const MediaReply<bool>& reply);

    // A phone call joins its participant's session: audio-only, as a Janus remote publisher, and
    // receiving what the participant is subscribed to through rtp_forward to `forwardPort`.
    void attachPhone(const std::string& callId, const std::string& accountId,
                     const std::string& participantId, std::uint16_t forwardPort,
                     const std::shared_ptr<PhoneSink>& sink, const PhoneAttached& done);
    void detachPhone(const std::string& callId);
    // DTMF crosses between browsers and phones of a session as events: a device's `sendDtmf`
    // reaches the phone legs that hear that participant (the reply counts them); a phone's digits
    // reach, as HeardDtmf, the devices that hear the phone (browsers cannot receive RFC 4733
    // events).
    void deviceDtmf(const std::string& deviceId, const std::string& tones,
                    const MediaReply<int>& reply);
    void phoneDigit(const std::string& callId, char digit);

    // Call-control changes, applied at once to connected devices.
    void membershipChanged(const std::string& accountId, const std::string& participantId);
    void participantDeleted(const std::string& accountId, const std::string& participantId);
    void sessionDeleted(const std::string& accountId, const std::string& sessionId,
                        const std::vector<std::string>& members);

    using Stats = MediaStats;
    Stats stats() const;  // approximate when called off the strand (for metrics)

    class OfflineJanus;

  private:
    template <class F>
    void onStrand(F f);

    boost::asio::strand<boost::asio::any_io_executor> strand_;
    MediaConfig config_;
    const Membership& membership_;
    std::shared_ptr<JanusPort> janus_;  // JanusClient, or OfflineJanus without a janusUrl
    JanusClient* client_ = nullptr;     // janus_ when it is a JanusClient
    std::shared_ptr<MediaRooms> rooms_;
};

}  // namespace sb::media
