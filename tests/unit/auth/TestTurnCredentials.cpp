// TURN REST API credentials (server/auth/TurnCredentials): the values coturn recomputes with
// use-auth-secret. The expected passwords were computed outside this code:
//   printf %s '1700003600:part-42' |
//     openssl dgst -sha1 -hmac 'a-turn-secret-of-32-characters!!' -binary | base64
// and RFC 2202 §3 test case 2 (HMAC-SHA1, key "Jefe"), its hex digest converted to base64.
#include <catch2/catch.hpp>

#include "server/auth/TurnCredentials.hpp"

using sb::auth::TurnCredentials;

TEST_CASE("TURN REST credentials", "[server][auth][TurnCredentials]") {
    SECTION("the password is base64(HMAC-SHA1(secret, username))") {
        CHECK(TurnCredentials::password("Jefe", "what do ya want for nothing?") ==
              "7/zfauXrL6LSdBbV8YTfnCWafHk=");
        CHECK(TurnCredentials::password("secret", "user") == "An2kjIxkLKTFjrmC7sgZFReed6M=");
    }

    SECTION("the username is the expiry, a colon and the participant id") {
        TurnCredentials turn(
            "a-turn-secret-of-32-characters!!",
            {"turn:198.51.100.7:3478?transport=udp", "turn:198.51.100.7:3478?transport=tcp"}, 3600);
        auto server = turn.mint("part-42", 1700000000);
        CHECK(server.username == "1700003600:part-42");
        CHECK(server.credential == "LE0Cx4UtHK5PS76/mQTnZWweRnI=");
        CHECK(server.urls == std::vector<std::string>{"turn:198.51.100.7:3478?transport=udp",
                                                      "turn:198.51.100.7:3478?transport=tcp"});
    }

    SECTION("each minting counts the lifetime from its own time") {
        TurnCredentials turn("0123456789abcdef", {"turn:127.0.0.1:3478"}, 600);
        auto early = turn.mint("p", 1000);
        auto later = turn.mint("p", 1060);
        CHECK(early.username == "1600:p");
        CHECK(later.username == "1660:p");
        CHECK(early.credential != later.credential);
        CHECK(later.credential == TurnCredentials::password("0123456789abcdef", "1660:p"));
    }
}
