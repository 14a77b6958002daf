// Call-control rules: one session per participant, participant limit, expiry, token revocation.
#include <catch2/catch.hpp>

#include "server/api/SessionErrorReply.hpp"
#include "server/session/CallControl.hpp"
#include "server/state/MemorySessionStore.hpp"

using namespace sb;
using net::ErrorCode;

namespace {

struct Fixture {
    state::EpochSeconds now = 1000;
    state::MemorySessionStore store;
    auth::TokenService tokens{std::string(32, 'k'), "switchboard", 3600,
                              [this](const std::string& a, const std::string& p) {
                                  return store.participant(a, p).has_value();
                              }};
    session::CallControl calls{store, tokens, {3, 100}, [this] { return now; }};
};

template <typename Fn>
ErrorCode errorOf(Fn fn) {
    try {
        fn();
    } catch (const session::SessionError& refusal) {
        return api::toHttpError(refusal).code();  // the status the REST layer answers
    }
    FAIL("no error");
    return ErrorCode::Internal;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "participants and their tokens", "[server][session][CallControl]") {
    auto created = calls.createParticipant("acc", {});
    CHECK(created.participant.id.size() == 36);
    auto check = tokens.verify(created.token, now);
    REQUIRE(check);
    CHECK(check.claims.participantId == created.participant.id);
    CHECK(check.claims.accountId == "acc");

    CHECK(calls.participant("acc", created.participant.id) == created.participant);
    CHECK(errorOf([&] { calls.participant("other", created.participant.id); }) ==
          ErrorCode::NotFound);

    calls.deleteParticipant("acc", created.participant.id);
    CHECK(errorOf([&] { calls.participant("acc", created.participant.id); }) ==
          ErrorCode::NotFound);
    CHECK(errorOf([&] { calls.deleteParticipant("acc", created.participant.id); }) ==
          ErrorCode::NotFound);
    CHECK(*tokens.verify(created.token, now).error == auth::TokenError::ParticipantGone);
}

TEST_CASE_METHOD(Fixture, "a participant is in at most one session",
                 "[server][session][CallControl]") {
    auto s1 = calls.createSession("acc", {});
    auto s2 = calls.createSession("acc", {});
    auto p = calls.createParticipant("acc", {}).participant;
    calls.addParticipantToSession("acc", s1.id, p.id, state::Subscriptions{s1.id, {}});
    CHECK(errorOf([&] { calls.addParticipantToSession("acc", s2.id, p.id, std::nullopt); }) ==
          ErrorCode::Conflict);
    // Adding again to the same session is idempotent and replaces the subscriptions.
    calls.addParticipantToSession("acc", s1.id, p.id, std::nullopt);
    CHECK(calls.subscriptions("acc", s1.id, p.id) == state::Subscriptions{});
    CHECK(calls.participant("acc", p.id).sessionId == std::optional<std::string>(s1.id));

    calls.removeParticipantFromSession("acc", s1.id, p.id);
    CHECK(errorOf([&] { calls.removeParticipantFromSession("acc", s1.id, p.id); }) ==
          ErrorCode::NotFound);
    CHECK(errorOf([&] { calls.subscriptions("acc", s1.id, p.id); }) == ErrorCode::NotFound);
    calls.addParticipantToSession("acc", s2.id, p.id, std::nullopt);
}

TEST_CASE_METHOD(Fixture, "the participant limit counts members, not re-adds",
                 "[server][session][CallControl]") {
    auto s = calls.createSession("acc", {});
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) ids.push_back(calls.createParticipant("acc", {}).participant.id);
    for (int i = 0; i < 3; ++i) calls.addParticipantToSession("acc", s.id, ids[i], std::nullopt);
    CHECK(errorOf([&] { calls.addParticipantToSession("acc", s.id, ids[3], std::nullopt); }) ==
          ErrorCode::Conflict);
    calls.addParticipantToSession("acc", s.id, ids[0], std::nullopt);  // already a member: fine
    CHECK(calls.sessionParticipants("acc", s.id).size() == 3);
    CHECK_FALSE(calls.participant("acc", ids[3]).sessionId);
}

TEST_CASE_METHOD(Fixture, "sessions expire after their lifetime",
                 "[server][session][CallControl]") {
    auto s = calls.createSession("acc", {});
    auto p = calls.createParticipant("acc", {}).participant;
    calls.addParticipantToSession("acc", s.id, p.id, state::Subscriptions{s.id, {}});
    now += 99;
    CHECK(calls.session("acc", s.id).id == s.id);
    now += 1;
    // Gone for readers at once, even before the sweep…
    CHECK(errorOf([&] { calls.session("acc", s.id); }) == ErrorCode::NotFound);
    CHECK_FALSE(calls.participant("acc", p.id).sessionId);
    // …and removed by it, with the membership and its subscriptions.
    CHECK(calls.purgeExpired().sessions == 1);
    CHECK(calls.counts().sessions == 0);
    CHECK_FALSE(store.participant("acc", p.id)->subscriptions);
    CHECK(calls.purgeExpired().sessions == 0);
}

TEST_CASE_METHOD(Fixture, "deleting a session detaches members", "[server][session][CallControl]") {
    auto s = calls.createSession("acc", {});
    auto p = calls.createParticipant("acc", {}).participant;
    calls.addParticipantToSession("acc", s.id, p.id, std::nullopt);
    calls.deleteSession("acc", s.id);
    CHECK(errorOf([&] { calls.deleteSession("acc", s.id); }) == ErrorCode::NotFound);
    CHECK(errorOf([&] { calls.sessionParticipants("acc", s.id); }) == ErrorCode::NotFound);
    CHECK_FALSE(calls.participant("acc", p.id).sessionId);
}

TEST_CASE_METHOD(Fixture, "unknown ids are 404s", "[server][session][CallControl]") {
    auto s = calls.createSession("acc", {});
    auto p = calls.createParticipant("acc", {}).participant;
    CHECK(errorOf([&] { calls.addParticipantToSession("acc", "nope", p.id, std::nullopt); }) ==
          ErrorCode::NotFound);
    CHECK(errorOf([&] { calls.addParticipantToSession("acc", s.id, "nope", std::nullopt); }) ==
          ErrorCode::NotFound);
    CHECK(errorOf([&] { calls.updateSubscriptions("acc", s.id, p.id, std::nullopt); }) ==
          ErrorCode::NotFound);
    CHECK(errorOf([&] { calls.session("other", s.id); }) == ErrorCode::NotFound);
}

namespace {

// Small caps and lifetimes, so that the tests reach them.
struct CappedFixture {
    state::EpochSeconds now = 1000;
    state::MemorySessionStore store;
    auth::TokenService tokens{std::string(32, 'k'), "switchboard", 3600,
                              [this](const std::string& a, const std::string& p) {
                                  return calls->participantActive(a, p);
                              }};
    std::unique_ptr<session::CallControl> calls;
    session::CallControlLimits limits() {
        session::CallControlLimits l;
        l.sessionLifetimeSeconds = 100;
        l.participantLifetimeSeconds = 50;
        l.accountCaps["acc"] = {2, 3};
        return l;
    }
    CappedFixture() { restart(); }
    void restart() {
        calls =
            std::make_unique<session::CallControl>(store, tokens, limits(), [this] { return now; });
    }
};

}  // namespace

TEST_CASE_METHOD(CappedFixture, "per-account caps on sessions and participants",
                 "[server][session][CallControl][caps]") {
    auto s1 = calls->createSession("acc", {});
    calls->createSession("acc", {});
    try {
        calls->createSession("acc", {});
        FAIL("a third session was created");
    } catch (const session::SessionError& refusal) {
        auto e = api::toHttpError(refusal);
        CHECK(e.code() == ErrorCode::Conflict);
        CHECK_THAT(e.what(), Catch::Contains("maximum of 2 sessions"));
    }
    CHECK(store.counts().sessions == 2);  // nothing created

    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) ids.push_back(calls->createParticipant("acc", {}).participant.id);
    CHECK(errorOf([&] { calls->createParticipant("acc", {}); }) == ErrorCode::Conflict);
    CHECK(store.counts().participants == 3);
    // Caps are per account: another account is not affected (it gets the defaults).
    calls->createParticipant("other", {});

    // Deleting frees a slot, for sessions and for participants.
    calls->deleteSession("acc", s1.id);
    calls->createSession("acc", {});
    calls->deleteParticipant("acc", ids[0]);
    calls->createParticipant("acc", {});
    CHECK(errorOf([&] { calls->createParticipant("acc", {}); }) == ErrorCode::Conflict);

    // A restart counts what is stored: the caps still hold.
    restart();
    CHECK(errorOf([&] { calls->createSession("acc", {}); }) == ErrorCode::Conflict);
    CHECK(errorOf([&] { calls->createParticipant("acc", {}); }) == ErrorCode::Conflict);
}

TEST_CASE_METHOD(CappedFixture,
                 "participants expire: removed from their session, tokens refused, slots freed",
                 "[server][session][CallControl][expiry]") {
    auto s = calls->createSession("acc", {});
    auto created = calls->createParticipant("acc", {});
    const auto& p = created.participant;
    calls->addParticipantToSession("acc", s.id, p.id, state::Subscriptions{s.id, {}});
    now += 20;
    auto younger = calls->createParticipant("acc", {}).participant;
    calls->createParticipant("acc", {});
    CHECK(tokens.verify(created.token, now));

    now += 30;  // p is 50 s old: its lifetime is over; `younger` has 20 s left
    CHECK(errorOf([&] { calls->participant("acc", p.id); }) ==
          ErrorCode::NotFound);  // before the sweep
    CHECK_FALSE(tokens.verify(created.token, now));
    auto purged = calls->purgeExpired();
    CHECK(purged.participants == 1);
    CHECK(purged.sessions == 0);
    CHECK_FALSE(store.participant("acc", p.id));
    CHECK(store.sessionParticipantCount("acc", s.id) == 0);
    CHECK(calls->participant("acc", younger.id).id == younger.id);
    calls->createParticipant("acc", {});  // its slot is free again
    CHECK(calls->purgeExpired().participants == 0);
}
