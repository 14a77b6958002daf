#pragma once
// Helpers shared by the store tests: a temporary directory and sample model objects.

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "server/state/Model.hpp"

namespace sb::state::test {

// A fresh directory, removed with everything in it at scope exit.
class TempDir {
  public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "sb-state-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string db() const { return (path_ / "switchboard.db").string(); }

  private:
    std::filesystem::path path_;
};

inline Session sampleSession(const std::string& id, const std::string& account = "acc",
                             EpochSeconds expires = 1000) {
    return Session{id, account, std::string("tag-") + id, 10, expires};
}

inline Participant sampleParticipant(const std::string& id, const std::string& account = "acc") {
    Participant p;
    p.id = id;
    p.accountId = account;
    p.callbackUrl = "https://app.example/cb";
    p.publishPermissions = {true, false};
    p.tag = "t";
    p.createdAt = 5;
    return p;
}

inline Subscriptions sampleSubscriptions() {
    Subscriptions s;
    s.sessionId = "s1";
    s.participants = {{"p2", {"cam", "mic"}}, {"p3", {}}};
    return s;
}

}  // namespace sb::state::test
