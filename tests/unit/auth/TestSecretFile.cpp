// The token secret file (issue 8, durability): created atomically with mode 0600 whatever the
// umask, never half-written, and a temp file left by a crash does not get in the way.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "server/auth/SecretFile.hpp"
#include "tests/unit/state/StateTestSupport.hpp"

namespace fs = std::filesystem;
using sb::state::test::TempDir;

namespace {

unsigned modeOf(const fs::path& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

std::string contents(const fs::path& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Sets the process umask for the scope (the file modes must not depend on it).
struct Umask {
    explicit Umask(mode_t m) : old(::umask(m)) {}
    ~Umask() { ::umask(old); }
    mode_t old;
};

}  // namespace

TEST_CASE("token secret: created 0600 and complete, kept across restarts",
          "[auth][secret][durability]") {
    TempDir dir;
    fs::path path = dir.path() / "token-secret";
    Umask open(0);  // a permissive umask: the mode must come from how the file is created
    // Left over from a crash of an earlier version (fixed temp name) and of this one (unique name).
    std::ofstream(dir.path() / "token-secret.tmp") << "stale";
    std::ofstream(dir.path() / "token-secret.tmp.Ab12Cd") << "stale";
    ::chmod((dir.path() / "token-secret.tmp").c_str(), 0644);

    std::string secret = sb::auth::loadOrCreateSecret(path.string());
    CHECK(secret.size() == 64);
    CHECK(secret.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(modeOf(path) == 0600);
    CHECK(contents(path) == secret + "\n");
    CHECK(sb::auth::loadOrCreateSecret(path.string()) == secret);  // the next start reads it back

    // Nothing else appeared next to it: the temp file became the secret file.
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(dir.path())) {
        (void)e;
        ++files;
    }
    CHECK(files == 3);  // token-secret and the two stale files
}

TEST_CASE("token secret: a file too short to be a secret is refused, not replaced",
          "[auth][secret]") {
    TempDir dir;
    fs::path path = dir.path() / "token-secret";
    std::ofstream(path) << "short\n";
    CHECK_THROWS_WITH(sb::auth::loadOrCreateSecret(path.string()), Catch::Contains("too short"));
    CHECK(contents(path) == "short\n");
}
