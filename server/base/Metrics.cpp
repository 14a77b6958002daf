#include "server/base/Metrics.hpp"

#include <cstdio>
#include <sstream>

namespace sb::base {

namespace {
// Label values escape backslash, quote and newline (exposition format "text-based format").
std::string label(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}
}  // namespace

void Metrics::recordRequest(const std::string& route, const std::string& method, int status,
                            double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, method, status}];
    auto& h = latency_[route];
    std::size_t i = 0;
    while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
    if (i < kBuckets.size()) ++h.counts[i];
    ++h.count;
    h.sum += seconds;
}

void Metrics::addGauge(Gauge gauge) {
    std::lock_guard lock(mutex_);
    gauges_.push_back(std::move(gauge));
}

std::string Metrics::render() const {
    std::vector<Gauge> gauges;
    std::ostringstream out;
    {
        std::lock_guard lock(mutex_);
        gauges = gauges_;
        out << "# HELP switchboard_http_requests_total HTTP requests by route, method and status.\n"
               "# TYPE switchboard_http_requests_total counter\n";
        for (const auto& [key, n] : requests_) {
            const auto& [route, method, status] = key;
            out << "switchboard_http_requests_total{route=\"" << label(route) << "\",method=\""
                << label(method) << "\",status=\"" << status << "\"} " << n << "\n";
        }
        out << "# HELP switchboard_http_request_duration_seconds Time to produce a response.\n"
               "# TYPE switchboard_http_request_duration_seconds histogram\n";
        for (const auto& [route, h] : latency_) {
            std::uint64_t cumulative = 0;
            for (std::size_t i = 0; i < kBuckets.size(); ++i) {
                cumulative += h.counts[i];
                out << "switchboard_http_request_duration_seconds_bucket{route=\"" << label(route)
                    << "\",le=\"" << number(kBuckets[i]) << "\"} " << cumulative << "\n";
            }
            out << "switchboard_http_request_duration_seconds_bucket{route=\"" << label(route)
                << "\",le=\"+Inf\"} " << h.count << "\n"
                << "switchboard_http_request_duration_seconds_sum{route=\"" << label(route)
                << "\"} " << number(h.sum) << "\n"
                << "switchboard_http_request_duration_seconds_count{route=\"" << label(route)
                << "\"} " << h.count << "\n";
        }
    }
    // Gauge callbacks may query the store: call them without holding the metrics lock.
    for (const auto& g : gauges) {
        out << "# HELP " << g.name << " " << g.help << "\n# TYPE " << g.name << " gauge\n"
            << g.name << " " << number(g.value()) << "\n";
    }
    return out.str();
}

}  // namespace sb::base
