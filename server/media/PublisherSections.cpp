#include "server/media/PublisherSections.hpp"

#include <algorithm>

namespace sb::media {

namespace {

bool bundled(const MediaSection& m) {
    return isEnabled(m) && !m.mid.empty();  // bundle-only sections (port 0) included
}

bool sameOrder(const std::vector<MediaSection>& a, const std::vector<MediaSection>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const MediaSection& x, const MediaSection& y) { return x.mid == y.mid; });
}

// The a=group:BUNDLE line(s) listing the bundled sections' mids in `sections`' order (RFC 8843
// §7.1: the tagged m-section is the first one listed; every offerer here bundles everything).
void rewriteBundle(SessionDescription& sdp) {
    std::string group = "a=group:BUNDLE";
    for (const auto& m : sdp.sections)
        if (bundled(m)) group += " " + m.mid;
    for (auto& l : sdp.sessionLines)
        if (l.rfind("a=group:BUNDLE", 0) == 0) l = group;
}

}  // namespace

PublisherSections::JanusOffer PublisherSections::toJanus(const std::string& browserOffer) const {
    auto offer = SessionDescription::parse(browserOffer);
    std::vector<MediaSection> layout;
    for (const auto& old : layout_) {
        auto* now = offer.byMid(old.mid);
        if (now) {
            layout.push_back(*now);
        } else {
            layout.push_back(old);  // gone from the browser's offer: kept in its place, rejected
            rejectSection(layout.back());
        }
    }
    for (const auto& m : offer.sections) {
        bool known = std::any_of(layout.begin(), layout.end(),
                                 [&](const MediaSection& s) { return s.mid == m.mid; });
        if (!known || m.mid.empty()) layout.push_back(m);
    }
    JanusOffer out;
    if (sameOrder(layout, offer.sections)) {  // the usual case: the browser's offer as it is
        out.sdp = browserOffer;
        out.layout = std::move(layout);
        return out;
    }
    SessionDescription forJanus;
    forJanus.sessionLines = offer.sessionLines;
    forJanus.sections = layout;
    rewriteBundle(forJanus);
    out.sdp = forJanus.str();
    out.layout = std::move(layout);
    return out;
}

std::string PublisherSections::toBrowser(const std::string& janusAnswer,
                                         const std::string& browserOffer) {
    auto answer = SessionDescription::parse(janusAnswer);
    auto offer = SessionDescription::parse(browserOffer);
    if (sameOrder(answer.sections, offer.sections)) return janusAnswer;
    SessionDescription out;
    out.sessionLines = answer.sessionLines;
    for (const auto& m : offer.sections) {
        if (const auto* a = answer.byMid(m.mid); a && !m.mid.empty()) {
            out.sections.push_back(*a);
        } else {
            // Not answered (it cannot happen with Janus; if it did): refused, as RFC 3264 §6
            // allows.
            out.sections.push_back(m);
            rejectSection(out.sections.back());
        }
    }
    rewriteBundle(out);
    return out.str();
}

}  // namespace sb::media
