// Fuzzes journal recovery at start-up (JournaledSessionStore::applyLeftoverJournal: OpLog::recover,
// decodeStoreOp, SqliteSessionStore::applyBatch), then loads the database into memory as
// JournaledSessionStore's constructor does. First byte even: the rest is written as a journal
// segment file byte for byte (torn, corrupt and hostile records). Odd: the rest is a list of
// payloads (2-byte big-endian length, bytes) that OpLog::append frames with valid lengths, CRCs
// and seqs, so arbitrary bytes reach decodeStoreOp and the database. Findings: crashes, sanitizer
// reports, and any exception: recovery must keep the intact prefix and drop the rest, never fail.
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "server/app/Log.hpp"
#include "server/state/JournaledSessionStore.hpp"
#include "server/state/MemorySessionStore.hpp"
#include "server/state/OpLog.hpp"
#include "server/state/SqliteSessionStore.hpp"

namespace fs = std::filesystem;
using namespace sb::state;

namespace {

std::string& directory() {
    static std::string dir = [] {
        std::string base = fs::exists("/dev/shm") ? "/dev/shm" : fs::temp_directory_path().string();
        std::string tmpl = base + "/sb-fuzz-journal-XXXXXX";
        if (!::mkdtemp(tmpl.data())) std::abort();
        std::atexit([] { fs::remove_all(directory()); });
        return tmpl;
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    sb::app::setLogLevel(sb::app::LogLevel::Off);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string& dir = directory();
    for (const auto& entry : fs::directory_iterator(dir)) fs::remove(entry.path());
    std::string db = dir + "/switchboard.db";
    const char* rest = reinterpret_cast<const char*>(data) + 1;
    std::size_t restSize = size - 1;

    if (data[0] % 2 == 0) {
        std::ofstream(db + ".oplog.00000000000000000001", std::ios::binary).write(rest, static_cast<std::streamsize>(restSize));
    } else {
        OpLog log(db, {});
        log.start(1);
        std::size_t at = 0;
        while (at + 2 <= restSize) {
            std::size_t len = static_cast<std::size_t>(static_cast<unsigned char>(rest[at]) << 8 |
                                                       static_cast<unsigned char>(rest[at + 1]));
            at += 2;
            len = std::min(len, restSize - at);
            log.append(std::string(rest + at, len));
            at += len;
        }
    }

    JournaledSessionStore::applyLeftoverJournal(db);
    // The journal is gone once applied.
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().filename().string().find(".oplog.") != std::string::npos) __builtin_trap();
    MemorySessionStore memory;
    SqliteSessionStore loaded(db);
    loaded.forEach([&](Session&& s) { memory.createSession(s); },
                   [&](Participant&& p) { memory.createParticipant(p); });
    return 0;
}
