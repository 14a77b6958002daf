// Fuzzes the JSON-RPC dispatcher of /v3/: each line of the input is one WebSocket text frame
// given to a signaling::SignalingSession (the real one: protocol::parseRpc, the method table, the
// params checks, the one place errors become replies) of a device whose participant is in a
// session, attached to a real MediaOrchestrator without Janus (offers reach it and are refused
// with a media-server error, as on a server without janusUrl). The orchestrator's strand runs
// after each frame. Findings: crashes, sanitizer reports, an exception escaping onMessage, and a
// reply that is not a JSON-RPC 2.0 object.
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <string>

#include "server/app/MediaWiring.hpp"
#include "server/auth/TokenService.hpp"
#include "server/base/Log.hpp"
#include "server/media/MediaOrchestrator.hpp"
#include "server/session/CallControl.hpp"
#include "server/signaling/SignalingSession.hpp"
#include "server/state/MemorySessionStore.hpp"

using namespace sb;

namespace {

constexpr std::int64_t kNow = 1714566896;

class RecordingConnection : public net::WsConnection {
  public:
    void send(std::string text) override {
        auto reply = nlohmann::json::parse(text, nullptr, false);
        if (reply.is_discarded() || !reply.is_object() || reply.value("jsonrpc", "") != "2.0")
            __builtin_trap();
        ++sent;
    }
    void close(std::uint16_t, std::string) override { closed = true; }
    int sent = 0;
    bool closed = false;
};

// Runs what is ready on the strand. poll() leaves the io_context stopped once it ran out of work,
// so it is restarted first.
void drain(boost::asio::io_context& io) {
    io.restart();
    io.poll();
}

// Call control and media as Server.cpp wires them: media reads membership from `calls`, which
// tells media of changes, so the membership is bound to `calls` before `calls` is built (media
// reads it only once a device joins).
struct Wiring {
    Wiring(boost::asio::io_context& io, state::SessionStore& store,
           const auth::TokenService& tokens)
        : membership(calls),
          media(std::make_shared<media::MediaOrchestrator>(io.get_executor(), media::MediaConfig{},
                                                           membership)),
          calls(
              store, tokens, {20, 9 * 3600}, [] { return kNow; },
              std::make_shared<app::MediaCallObserver>(media)) {}
    app::CallControlMembership membership;
    std::shared_ptr<media::MediaOrchestrator> media;
    session::CallControl calls;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    base::setLogLevel(base::LogLevel::Off);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    state::MemorySessionStore store;
    // Shared by all inputs (keying its HMAC is costly); it asks this input's store.
    static state::MemorySessionStore* currentStore = nullptr;
    static const auth::TokenService tokens("fuzz-secret-0123456789abcdef0123", "switchboard", 3600,
                                           [](const std::string& a, const std::string& p) {
                                               return currentStore &&
                                                      currentStore->participant(a, p).has_value();
                                           });
    currentStore = &store;
    boost::asio::io_context io;
    Wiring wiring(io, store, tokens);
    auto& calls = wiring.calls;
    auto& media = wiring.media;
    session::CreateParticipantRequest preq;
    preq.publishPermissions = {true, true};
    auto created = calls.createParticipant("9900000", preq);
    auto session = calls.createSession("9900000", {});
    calls.addParticipantToSession("9900000", session.id, created.participant.id, std::nullopt);

    media->start();
    auto connection = std::make_shared<RecordingConnection>();
    signaling::DeviceIdentity identity{"9900000", created.participant.id, "browser", "fuzz",
                                       "device-1"};
    auto device = std::make_shared<signaling::SignalingSession>("device-1", identity, media);
    device->onOpen(connection);
    drain(io);

    std::string_view input(reinterpret_cast<const char*>(data), size);
    for (int frames = 0; frames < 64 && !input.empty(); ++frames) {
        auto nl = input.find('\n');
        device->onMessage(std::string(input.substr(0, nl)));
        drain(io);
        if (nl == std::string_view::npos) break;
        input.remove_prefix(nl + 1);
    }
    device->onClose();
    drain(io);
    media->stop();
    drain(io);
    currentStore = nullptr;
    return 0;
}
