#include "server/sip/endpoint/AudioSdp.hpp"

#include <sofia-sip/sdp.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/su_string.h>

#include <memory>

namespace sb::sip {

namespace {

struct HomeDeleter {
    void operator()(su_home_t* home) const { su_home_unref(home); }
};

const sdp_connection_t* ip4(const sdp_connection_t* c) {
    for (; c; c = c->c_next) {
        if (c->c_nettype == sdp_net_in && c->c_addrtype == sdp_addr_ip4 && c->c_address) return c;
    }
    return nullptr;
}

}  // namespace

int payloadType(G711 codec) {
    return codec == G711::Pcmu ? 0 : 8;
}

const char* encodingName(G711 codec) {
    return codec == G711::Pcmu ? "PCMU" : "PCMA";
}

namespace {

// RFC 8866 §9: token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E.
bool isTokenChar(char c) {
    auto b = static_cast<unsigned char>(c);
    return b == 0x21 || (b >= 0x23 && b <= 0x27) || b == 0x2A || b == 0x2B || b == 0x2D ||
           b == 0x2E || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) ||
           (b >= 0x5E && b <= 0x7E);
}

// Each "m=<media> <port>[/<count>] <proto> <fmt> ..." (RFC 8866 §5.14): media, proto parts and fmts
// tokens, port digits.
bool mediaLinesWellFormed(std::string_view text) {
    while (!text.empty()) {
        // sofia-sip ends a line at CR or LF alone too (regression seed sofia_oom_cr).
        auto end = text.find_first_of("\r\n");
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        if (line.rfind("m=", 0) != 0) continue;
        line.remove_prefix(2);
        std::vector<std::string_view> fields;
        while (!line.empty()) {
            auto sp = line.find(' ');
            fields.push_back(line.substr(0, sp));
            line.remove_prefix(sp == std::string_view::npos ? line.size() : sp + 1);
        }
        if (fields.size() < 4) return false;
        // <port>[/<number of ports>]: 1 to 5 digits each.
        auto port = fields[1];
        auto slash = port.find('/');
        for (auto part :
             {port.substr(0, slash),
              slash == std::string_view::npos ? std::string_view("0") : port.substr(slash + 1)}) {
            if (part.empty() || part.size() > 5 ||
                part.find_first_not_of("0123456789") != std::string_view::npos)
                return false;
        }
        for (std::size_t i = 0; i < fields.size(); ++i) {
            auto f = fields[i];
            if (f.empty()) return false;
            if (i == 1) continue;
            for (char c : f)
                if (!(isTokenChar(c) || (i == 2 && c == '/'))) return false;
            if (i == 2 &&
                (f.front() == '/' || f.back() == '/' || f.find("//") != std::string_view::npos))
                return false;
        }
    }
    return true;
}

}  // namespace

AudioDescription parseAudioSdp(std::string_view text) {
    AudioDescription out;
    // sofia-sip's sdp_parse asks for a 2 GB allocation when an m= line's proto holds characters a
    // token may not (a byte >= 0x80, "::"; found by tests/fuzz/sdp, regression seeds
    // sofia_oom_proto and sofia_oom_colons). SDP from SIP peers is ASCII in practice (RFC 8866 §5
    // allows UTF-8 only in free-text fields, which we do not use), and m= lines are checked against
    // their grammar, before sofia sees the text.
    for (char c : text) {
        auto b = static_cast<unsigned char>(c);
        if (b >= 0x80 || (b < 0x20 && b != '\r' && b != '\n' && b != '\t') || b == 0x7f) {
            out.error = "SDP holds a byte that is not printable ASCII";
            return out;
        }
    }
    if (!mediaLinesWellFormed(text)) {
        out.error = "malformed m= line";
        return out;
    }
    std::unique_ptr<su_home_t, HomeDeleter> home(
        static_cast<su_home_t*>(su_home_new(sizeof(su_home_t))));
    if (!home) {
        out.error = "out of memory";
        return out;
    }
    // The parser copies the text into the home; flags 0 = lenient, as peers' SDP often is.
    sdp_parser_t* parser =
        sdp_parse(home.get(), text.data(), static_cast<issize_t>(text.size()), 0);
    const sdp_session_t* session = sdp_session(parser);
    if (!session) {
        const char* why = sdp_parsing_error(parser);
        out.error = why ? why : "unparsable SDP";
        sdp_parser_free(parser);
        return out;
    }
    for (const sdp_media_t* m = session->sdp_media; m; m = m->m_next) {
        if (m->m_type != sdp_media_audio || m->m_port == 0 || m->m_rejected) continue;
        if (m->m_proto != sdp_proto_rtp) continue;  // RTP/AVP only: no SRTP/AVPF here
        const sdp_connection_t* c = ip4(m->m_connections);
        if (!c) c = ip4(session->sdp_connection);
        if (!c) {
            out.error = "no IPv4 c= line for the audio stream";
            break;
        }
        out.address = c->c_address;
        out.port = static_cast<std::uint16_t>(m->m_port);
        // Media-level direction (the parser's m_mode, sendrecv by default) within the
        // session-level one.
        const unsigned mode = m->m_mode & static_cast<unsigned>(sdp_attribute_mode(
                                              session->sdp_attributes, sdp_sendrecv));
        const bool nullAddress = out.address == "0.0.0.0";
        out.sends = (mode & sdp_sendonly) != 0;
        out.receives = (mode & sdp_recvonly) != 0 && !nullAddress;
        // Static payload types only: a dynamic PT mapped to PCMU would need the RTP side to use it.
        for (const sdp_rtpmap_t* rm = m->m_rtpmaps; rm; rm = rm->rm_next) {
            if (rm->rm_pt == 0)
                out.g711.push_back(G711::Pcmu);
            else if (rm->rm_pt == 8)
                out.g711.push_back(G711::Pcma);
            else if (out.telephoneEventPt < 0 && rm->rm_encoding &&
                     su_casematch(rm->rm_encoding, "telephone-event") && rm->rm_rate == 8000)
                out.telephoneEventPt = static_cast<int>(rm->rm_pt);
        }
        out.ok = true;
        break;
    }
    if (!out.ok && out.error.empty()) out.error = "no active RTP/AVP audio stream";
    sdp_parser_free(parser);
    return out;
}

std::optional<G711> preferredFromOffer(const AudioDescription& offer) {
    std::optional<G711> found;
    for (auto c : offer.g711) {
        if (c == G711::Pcmu) return c;
        found = c;
    }
    return found;
}

std::optional<G711> chosenInAnswer(const AudioDescription& answer) {
    if (answer.g711.empty()) return std::nullopt;
    return answer.g711.front();
}

std::string buildAudioSdp(const AudioSdpParams& p) {
    std::string pts;
    for (auto c : p.codecs) pts += " " + std::to_string(payloadType(c));
    if (p.telephoneEventPt >= 0) pts += " " + std::to_string(p.telephoneEventPt);

    std::string s;
    s += "v=0\r\n";
    s += "o=switchboard " + std::to_string(p.sessionId) + " " + std::to_string(p.version) +
         " IN IP4 " + p.address + "\r\n";
    s += "s=switchboard\r\n";
    s += "c=IN IP4 " + p.address + "\r\n";
    s += "t=0 0\r\n";
    s += "m=audio " + std::to_string(p.port) + " RTP/AVP" + pts + "\r\n";
    for (auto c : p.codecs) {
        s += "a=rtpmap:" + std::to_string(payloadType(c)) + " " + encodingName(c) + "/8000\r\n";
    }
    if (p.telephoneEventPt >= 0) {
        const auto pt = std::to_string(p.telephoneEventPt);
        s += "a=rtpmap:" + pt + " telephone-event/8000\r\n";
        s += "a=fmtp:" + pt + " 0-16\r\n";
    }
    s += "a=ptime:20\r\n";
    s += p.sends && p.receives ? "a=sendrecv\r\n"
         : p.sends             ? "a=sendonly\r\n"
         : p.receives          ? "a=recvonly\r\n"
                               : "a=inactive\r\n";
    return s;
}

}  // namespace sb::sip
