#pragma once
// Request metrics in Prometheus text exposition format 0.0.4: a counter of requests by route,
// method and status, a latency histogram by route, and gauges supplied by callbacks.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace sb::base {

class Metrics {
  public:
    struct Gauge {
        std::string name;
        std::string help;
        std::function<double()> value;
    };

    void recordRequest(const std::string& route, const std::string& method, int status,
                       double seconds);
    void addGauge(Gauge gauge);
    std::string render() const;

    static constexpr std::array<double, 11> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0};

  private:
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> counts{};  // per bucket, not cumulative
        std::uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
    std::map<std::string, Histogram> latency_;
    std::vector<Gauge> gauges_;
};

}  // namespace sb::base
