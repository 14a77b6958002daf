#pragma once
// The m-line layout of one publisher PeerConnection as Janus sees it, which may differ from the
// browser's.
//
// A browser that stops a transceiver (unpublish) may reuse its m-line for the next new one,
// with a new mid (JSEP, RFC 8829 §5.2.2: a rejected m-section can be recycled). Janus keeps the
// mid of an m-line for the life of the PeerConnection and ignores a new one (src/sdp.c: "mid on
// m-line #N changed, ignoring new value"), so it answers with the old mid and the browser refuses
// the answer: "The order of m-lines in answer doesn't match order in offer".
//
// So the offer Janus gets keeps every mid on the m-line Janus first saw it on: a mid new to
// Janus is appended, and an m-line whose mid the browser no longer offers stays in place,
// rejected (port 0). Janus's answer is put back into the browser offer's order (RFC 3264 §6: the
// answer has the offer's m-lines, in its order). Mids themselves are never rewritten, so RTP's
// mid header extension and the feed mids subscribers use stay the browser's.

#include <string>
#include <vector>

#include "server/media/Sdp.hpp"

namespace sb::media {

class PublisherSections {
  public:
    // The offer for Janus, and the layout it implies (commit() it once Janus has answered).
    struct JanusOffer {
        std::string sdp;
        std::vector<MediaSection> layout;
    };
    JanusOffer toJanus(const std::string& browserOffer) const;
    // Janus's answer to `offer`, with the m-sections in `browserOffer`'s order and BUNDLE to match.
    static std::string toBrowser(const std::string& janusAnswer, const std::string& browserOffer);
    void commit(std::vector<MediaSection> layout) { layout_ = std::move(layout); }
    // A new Janus PeerConnection (new handle): nothing is laid out yet.
    void reset() { layout_.clear(); }

  private:
    std::vector<MediaSection> layout_;  // Janus's m-lines, in order, as last offered
};

}  // namespace sb::media
