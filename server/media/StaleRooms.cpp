#include "server/media/StaleRooms.hpp"

#include <cctype>
#include <string>

#include "server/base/Log.hpp"
#include "server/media/JanusMessages.hpp"

namespace sb::media {

bool isSessionRoom(const std::string& description) {
    if (description.size() != 36) return false;
    for (std::size_t i = 0; i < description.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash != (description[i] == '-')) return false;
        if (!dash && !std::isxdigit(static_cast<unsigned char>(description[i]))) return false;
    }
    return true;
}

void destroyStaleRooms(VideoRoom& videoRoom, HandleId control, std::function<void()> then) {
    videoRoom.listRooms(
        control, [&videoRoom, control, then = std::move(then)](
                     std::optional<JanusError> error,
                     const std::vector<std::pair<std::uint64_t, std::string>>& rooms) {
            // The session the list was asked in is gone (JanusClient fails its pending requests
            // before telling MediaRooms::janusLost): nothing of it may be used, and the next
            // janusReady() starts over.
            if (error &&
                (error->reason == janus::kConnectionLost || error->reason == janus::kClientStopped))
                return;
            std::size_t stale = 0;
            for (const auto& [room, description] : rooms) {
                if (!isSessionRoom(description)) continue;
                videoRoom.destroyRoom(control, room);
                ++stale;
            }
            if (error)
                base::log(base::LogLevel::Warn,
                          "media: cannot list the VideoRoom rooms: " + error->reason);
            if (stale)
                base::log(base::LogLevel::Info, "media: destroying " + std::to_string(stale) +
                                                    " rooms left by a previous process");
            then();
        });
}

}  // namespace sb::media
