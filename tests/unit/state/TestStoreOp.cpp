// StoreOp's binary form and the OpLog journal (records, segments, recovery after damage).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "StateTestSupport.hpp"
#include "server/state/OpLog.hpp"
#include "server/state/StoreOp.hpp"

using namespace sb::state;
using sb::state::test::TempDir;

namespace {

std::string encoded(const StoreOp& op) {
    std::string out;
    encodeStoreOp(op, out);
    return out;
}

std::vector<StoreOp> everyKind() {
    Participant bare;
    bare.id = "bare";
    bare.accountId = "acc";
    Participant full = test::sampleParticipant("p1");
    full.publishPermissions = {true, true};
    full.sessionId = "s1";
    full.subscriptions = test::sampleSubscriptions();
    Session untagged{"s2", "acc", std::nullopt, 1, 2};
    return {StoreOp::createSession(test::sampleSession("s1")),
            StoreOp::createSession(untagged),
            StoreOp::deleteSession("acc", "s1"),
            StoreOp::createParticipant(full),
            StoreOp::createParticipant(bare),
            StoreOp::deleteParticipant("acc", "p1"),
            StoreOp::setMembership("acc", "p1", std::string("s1"), test::sampleSubscriptions()),
            StoreOp::setMembership("acc", "p1", std::string("s1"), Subscriptions{}),
            StoreOp::setMembership("acc", "p1", std::nullopt, std::nullopt)};
}

std::vector<std::string> segments(const TempDir& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        if (e.path().filename().string().find(".oplog.") != std::string::npos)
            out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("StoreOp round-trips every kind through its binary form", "[server][state][StoreOp]") {
    for (const auto& op : everyKind()) {
        std::string bytes;
        encodeStoreOp(op, bytes);
        CHECK(decodeStoreOp(bytes) == op);
        // Any truncation, and trailing garbage, is refused rather than misread.
        for (std::size_t n = 0; n < bytes.size(); ++n)
            CHECK_THROWS(decodeStoreOp(std::string_view(bytes).substr(0, n)));
        CHECK_THROWS(decodeStoreOp(bytes + "x"));
    }
    CHECK_THROWS(decodeStoreOp(std::string(1, '\x09')));
}

TEST_CASE("OpLog: records are recovered in order, skipping those already applied",
          "[server][state][OpLog]") {
    TempDir dir;
    auto ops = everyKind();
    {
        OpLog log(dir.db(), {});
        CHECK(log.recover(0).ops.empty());
        log.start(1);
        for (const auto& op : ops) log.append(encoded(op));
    }
    OpLog log(dir.db(), {});
    auto all = log.recover(0);
    CHECK(all.ops == ops);
    CHECK(all.lastSeq == ops.size());
    CHECK(all.ignoredBytes == 0);
    auto tail = log.recover(4);
    CHECK(tail.ops == std::vector<StoreOp>(ops.begin() + 4, ops.end()));
    CHECK(log.recover(ops.size()).ops.empty());
    CHECK(log.recover(ops.size()).lastSeq == ops.size());
}

TEST_CASE("OpLog: segments rotate and go once applied", "[server][state][OpLog]") {
    TempDir dir;
    OpLog log(dir.db(), {256});
    log.start(1);
    auto op = StoreOp::createParticipant(test::sampleParticipant("p1"));
    std::uint64_t last = 0;
    for (int i = 0; i < 40; ++i) last = log.append(encoded(op));
    CHECK(last == 40);
    CHECK(segments(dir).size() > 5);
    log.releaseUpTo(20);
    auto left = segments(dir);
    CHECK(left.size() > 1);
    log.releaseUpTo(last);
    CHECK(segments(dir).size() == 1);  // the open segment stays
    log.removeAll();
    CHECK(segments(dir).empty());
}

TEST_CASE("OpLog: recovery keeps the intact prefix of a damaged journal",
          "[server][state][OpLog]") {
    TempDir dir;
    auto ops = everyKind();
    {
        OpLog log(dir.db(), {});
        log.start(1);
        for (const auto& op : ops) log.append(encoded(op));
    }
    auto path = segments(dir).at(0);
    auto size = std::filesystem::file_size(path);

    SECTION("a torn last record") {
        std::filesystem::resize_file(path, size - 3);
        OpLog log(dir.db(), {});
        auto r = log.recover(0);
        CHECK(r.ops == std::vector<StoreOp>(ops.begin(), ops.end() - 1));
        CHECK(r.ignoredBytes > 0);
    }
    SECTION("a flipped byte in the middle") {
        std::string data;
        {
            std::ifstream in(path, std::ios::binary);
            data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        std::string first;
        encodeStoreOp(ops[0], first);
        data[16 + first.size() + 20] ^= 0x40;  // inside the second record
        std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
        OpLog log(dir.db(), {});
        auto r = log.recover(0);
        CHECK(r.ops == std::vector<StoreOp>(ops.begin(), ops.begin() + 1));
        CHECK(r.lastSeq == 1);
    }
}

TEST_CASE("OpLog: a journal that does not continue the database is not applied",
          "[server][state][OpLog]") {
    TempDir dir;
    auto ops = everyKind();
    {
        OpLog log(dir.db(), {});
        log.start(3);
        for (const auto& op : ops) log.append(encoded(op));
    }
    OpLog log(dir.db(), {});
    CHECK(log.recover(2).ops == ops);
    auto r = log.recover(1);  // seq 2 is missing
    CHECK(r.ops.empty());
    CHECK(r.lastSeq == 1);
    CHECK(r.ignoredBytes > 0);
}

TEST_CASE("OpLog: a second process (or store) on the same database is refused",
          "[server][state][OpLog]") {
    TempDir dir;
    OpLog first(dir.db(), {});
    CHECK_THROWS_WITH(OpLog(dir.db(), {}), Catch::Contains("in use by another process"));
}
