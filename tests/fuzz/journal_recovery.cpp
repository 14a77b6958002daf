// Fuzzes journal recovery at start-up, the steps of JournaledSessionStore::replay: OpLog::recover
// (segment files, record framing, CRCs, seqs, decodeStoreOp), SqliteSessionStore::applyBatch of
// what it recovered, then the database loaded into memory as JournaledSessionStore's constructor
// does. The database is SQLite in memory (":memory:"): a file database with its fsyncs ran at
// about 100 inputs a second, and the file handling under test is the journal's. First byte even:
// the rest is written as a journal segment file byte for byte (torn, corrupt and hostile records).
// Odd: the rest is a list of payloads (2-byte big-endian length, bytes) that OpLog::append frames
// with valid lengths, CRCs and seqs, so arbitrary bytes reach decodeStoreOp and the database.
// Findings: crashes, sanitizer reports, and any exception: recovery must keep the intact prefix and
// drop the rest, never fail.
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "server/base/Log.hpp"
#include "server/state/MemorySessionStore.hpp"
#include "server/state/OpLog.hpp"
#include "server/state/SqliteSessionStore.hpp"

namespace fs = std::filesystem;
using namespace sb::state;

namespace {

// Never destroyed: the atexit handler that removes it runs after static destructors.
const std::string& directory() {
    static const std::string* dir = [] {
        std::string base = fs::exists("/dev/shm") ? "/dev/shm" : fs::temp_directory_path().string();
        std::string tmpl = base + "/sb-fuzz-journal-XXXXXX";
        if (!::mkdtemp(tmpl.data())) std::abort();
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(directory(), ec);
        });
        return new std::string(tmpl);
    }();
    return *dir;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    sb::base::setLogLevel(sb::base::LogLevel::Off);
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
        std::ofstream(db + ".oplog.00000000000000000001", std::ios::binary)
            .write(rest, static_cast<std::streamsize>(restSize));
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

    OpLog log(db, {});
    auto recovered = log.recover(0);
    if (recovered.ops.empty() && recovered.lastSeq != 0) __builtin_trap();
    if (recovered.ops.empty()) return 0;
    // One in-memory database for many inputs (creating its schema is most of the cost of an input
    // with ops); every op sets state, so what earlier inputs left only adds rows. Renewed every
    // 4096 inputs with ops so that it stays small.
    static std::unique_ptr<SqliteSessionStore> shared;
    static unsigned uses = 0;
    if (!shared || ++uses % 4096 == 0) shared = std::make_unique<SqliteSessionStore>(":memory:");
    SqliteSessionStore& database = *shared;
    database.applyBatch(recovered.ops, recovered.lastSeq);
    if (database.appliedSeq() != recovered.lastSeq) __builtin_trap();
    MemorySessionStore memory;
    database.forEach([&](Session&& s) { memory.createSession(s); },
                     [&](Participant&& p) { memory.createParticipant(p); });
    return 0;
}
