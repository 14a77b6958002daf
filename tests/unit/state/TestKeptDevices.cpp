// KeptDevicesFile: the resumable devices on disk (docs/protocol.md "Resuming across a restart").
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "StateTestSupport.hpp"
#include "server/state/KeptDevices.hpp"

using namespace sb::state;
using sb::state::test::TempDir;

namespace {
std::string readAll(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

TEST_CASE("resumeSecretDigest is the SHA-256 of the secret, in hex") {
    // FIPS 180-2 appendix B.1: SHA-256("abc").
    CHECK(resumeSecretDigest("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("kept devices written by one process are read back by the next, mode 0600") {
    TempDir dir;
    auto path = (dir.path() / "kept-devices.json").string();
    {
        KeptDevicesFile file(path, std::chrono::milliseconds(10));
        file.put({"d1", "acct", "p1", resumeSecretDigest("s1"), 0});
        file.put({"d2", "acct", "p2", resumeSecretDigest("s2"), 1234, true});  // loopback
        file.put({"d3", "acct", "p3", resumeSecretDigest("s3"), 0});
        file.erase("d3");
        file.flush();
        CHECK(file.writes() >= 1);
        struct stat st {};
        REQUIRE(::stat(path.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
        CHECK(readAll(path).find("s1\"") == std::string::npos);
    }
    auto back = KeptDevicesFile::load(path);
    REQUIRE(back.size() == 2);
    CHECK(back[0].deviceId == "d1");
    CHECK(back[0].participantId == "p1");
    CHECK(back[0].secretDigest == resumeSecretDigest("s1"));
    CHECK(back[0].deadline == 0);
    CHECK(back[1].deviceId == "d2");
    CHECK(back[1].deadline == 1234);
    // docs/protocol.md "Loopback (preflight)": kept with the device; absent means false.
    CHECK_FALSE(back[0].loopback);
    CHECK(back[1].loopback);
    CHECK(readAll(path).find("\"loopback\"") == readAll(path).rfind("\"loopback\""));
}

TEST_CASE("a burst of changes is one write, off the caller's thread") {
    TempDir dir;
    auto path = (dir.path() / "kept-devices.json").string();
    KeptDevicesFile file(path, std::chrono::milliseconds(300));
    for (int i = 0; i < 100; ++i)
        file.put({"d" + std::to_string(i), "a", "p", resumeSecretDigest("x"), 0});
    CHECK(file.writes() == 0);  // nothing written by put()
    for (int i = 0; i < 100 && file.writes() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(file.writes() == 1);
    CHECK(KeptDevicesFile::load(path).size() == 100);
}

TEST_CASE("a damaged or foreign file gives no devices, and malformed entries are skipped") {
    TempDir dir;
    auto path = (dir.path() / "kept-devices.json").string();
    CHECK(KeptDevicesFile::load(path).empty());  // missing
    std::ofstream(path) << "{not json";
    CHECK(KeptDevicesFile::load(path).empty());
    std::ofstream(path) << R"({"deviceId": "d"})";
    CHECK(KeptDevicesFile::load(path).empty());
    std::ofstream(path)
        << R"([1, "x", {"deviceId": "d"}, {"deviceId": 5, "accountId": "a", "participantId": "p",
              "secretSha256": "h", "deadline": 0},
              {"deviceId": "ok", "accountId": "a", "participantId": "p", "secretSha256": "h",
               "deadline": "soon"},
              {"deviceId": "ok", "accountId": "a", "participantId": "p", "secretSha256": "h",
               "deadline": 7}])";
    auto back = KeptDevicesFile::load(path);
    REQUIRE(back.size() == 1);
    CHECK(back[0].deadline == 7);
}
