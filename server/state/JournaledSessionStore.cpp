#include "server/state/JournaledSessionStore.hpp"

#include <stdexcept>

#include "server/base/Log.hpp"
#include "server/state/CommitScope.hpp"
#include "server/state/SqliteSessionStore.hpp"

namespace sb::state {

namespace {

// Only the OpApplier writes to the database, in the background, thousands of changes per
// transaction, so the fsync per commit of synchronous=FULL is cheap here; it is what makes the
// journal it deletes be in the database even after an OS crash. A batch dirties about one page
// per change (participant ids are random); checkpointing every 4000 pages instead of 1000 copies a
// page rewritten by several batches once. (With 100 ms batches that cuts the thread's CPU by a
// quarter, measured with 200,000 participants at 25,000 per second. A 16 MB page cache would save
// another fifth, at up to 16 MB of RAM.)
SqliteSessionStore::Options databaseOptions() {
    SqliteSessionStore::Options o;
    o.walAutocheckpointPages = 4000;
    return o;
}

}  // namespace

JournaledSessionStore::JournaledSessionStore(const std::string& dbPath, Options options) {
    log_ = std::make_unique<OpLog>(dbPath, options.log);  // takes the lock before anything else
    db_ = std::make_unique<SqliteSessionStore>(dbPath, databaseOptions());

    log_->start(replay(*log_, *db_) + 1);

    db_->forEach([this](Session&& s) { memory_.createSession(s); },
                 [this](Participant&& p) { memory_.createParticipant(p); });
    applier_ = std::make_unique<OpApplier>(*db_, *log_, options.applier);
    syncer_ = std::make_unique<JournalSyncer>(*log_);
}

std::uint64_t JournaledSessionStore::replay(OpLog& log, SqliteSessionStore& db) {
    auto recovered = log.recover(db.appliedSeq());
    if (recovered.ignoredBytes > 0)
        base::log(base::LogLevel::Warn,
                  "store: " + std::to_string(recovered.ignoredBytes) +
                      " bytes of the journal were damaged or out of sequence and are "
                      "dropped (only an OS crash should cause this)");
    if (!recovered.ops.empty()) {
        db.applyBatch(recovered.ops, recovered.lastSeq);
        base::log(base::LogLevel::Info, "store: applied " + std::to_string(recovered.ops.size()) +
                                            " journaled changes that were not yet in the database");
    }
    return recovered.lastSeq;
}

void JournaledSessionStore::applyLeftoverJournal(const std::string& dbPath) {
    OpLog log(dbPath, {});
    SqliteSessionStore db(dbPath, databaseOptions());
    log.start(replay(log, db) + 1);
    log.removeAll();
}

JournaledSessionStore::~JournaledSessionStore() {
    syncer_.reset();  // syncs what is journaled and runs the pending callbacks
    // If the database could not take the backlog, the journal stays and is applied at next start.
    if (applier_->stop()) log_->removeAll();
}

bool JournaledSessionStore::flush() {
    return applier_->flush();
}

template <typename F>
auto JournaledSessionStore::record(const StoreOp& op, std::uint64_t& seq, F&& toMemory) {
    if (syncer_->failed())
        throw std::runtime_error(
            "store: the journal could not be synced to disk; refusing changes until a restart");
    applier_->admit();
    std::string encoded;
    encoded.reserve(256);
    encodeStoreOp(op, encoded);
    seq = log_->append(encoded);
    auto result = toMemory();
    applier_->enqueue(std::move(encoded), seq);
    return result;
}

void JournaledSessionStore::awaitDurable(std::uint64_t seq) {
    if (seq == 0 || CommitScope::defer(seq)) return;
    if (!syncer_->waitDurable(seq))
        throw std::runtime_error("store: the change could not be synced to disk");
}

// ---------------------------------------------------------------- writes

void JournaledSessionStore::createSession(const Session& s) {
    std::uint64_t seq = 0;
    {
        std::lock_guard lock(writeMutex_);
        record(StoreOp::createSession(s), seq, [&] {
            memory_.createSession(s);
            return true;
        });
    }
    awaitDurable(seq);
}

std::vector<std::string> JournaledSessionStore::deleteSession(const std::string& accountId,
                                                              const std::string& sessionId) {
    std::uint64_t seq = 0;
    std::vector<std::string> members;
    {
        std::lock_guard lock(writeMutex_);
        if (!memory_.session(accountId, sessionId)) return {};
        members = record(StoreOp::deleteSession(accountId, sessionId), seq,
                         [&] { return memory_.deleteSession(accountId, sessionId); });
    }
    awaitDurable(seq);
    return members;
}

void JournaledSessionStore::createParticipant(const Participant& p) {
    std::uint64_t seq = 0;
    {
        std::lock_guard lock(writeMutex_);
        record(StoreOp::createParticipant(p), seq, [&] {
            memory_.createParticipant(p);
            return true;
        });
    }
    awaitDurable(seq);
}

bool JournaledSessionStore::deleteParticipant(const std::string& accountId,
                                              const std::string& participantId) {
    std::uint64_t seq = 0;
    bool deleted = false;
    {
        std::lock_guard lock(writeMutex_);
        if (!memory_.participant(accountId, participantId)) return false;
        deleted = record(StoreOp::deleteParticipant(accountId, participantId), seq,
                         [&] { return memory_.deleteParticipant(accountId, participantId); });
    }
    awaitDurable(seq);
    return deleted;
}

void JournaledSessionStore::setMembership(const std::string& accountId,
                                          const std::string& participantId,
                                          const std::optional<std::string>& sessionId,
                                          const std::optional<Subscriptions>& subscriptions) {
    std::uint64_t seq = 0;
    {
        std::lock_guard lock(writeMutex_);
        if (!memory_.participant(accountId, participantId)) return;
        record(StoreOp::setMembership(accountId, participantId, sessionId, subscriptions), seq,
               [&] {
                   memory_.setMembership(accountId, participantId, sessionId, subscriptions);
                   return true;
               });
    }
    awaitDurable(seq);
}

// ---------------------------------------------------------------- reads: memory only

std::optional<Session> JournaledSessionStore::session(const std::string& accountId,
                                                      const std::string& sessionId) const {
    return memory_.session(accountId, sessionId);
}

std::vector<Session> JournaledSessionStore::expiredSessions(EpochSeconds now) const {
    return memory_.expiredSessions(now);
}

std::optional<Participant> JournaledSessionStore::participant(
    const std::string& accountId, const std::string& participantId) const {
    return memory_.participant(accountId, participantId);
}

std::vector<Participant> JournaledSessionStore::sessionParticipants(
    const std::string& accountId, const std::string& sessionId) const {
    return memory_.sessionParticipants(accountId, sessionId);
}

std::size_t JournaledSessionStore::sessionParticipantCount(const std::string& accountId,
                                                           const std::string& sessionId) const {
    return memory_.sessionParticipantCount(accountId, sessionId);
}

std::vector<Participant> JournaledSessionStore::participantsCreatedBefore(
    EpochSeconds cutoff) const {
    return memory_.participantsCreatedBefore(cutoff);
}

StoreCounts JournaledSessionStore::counts() const {
    return memory_.counts();
}

std::map<std::string, StoreCounts> JournaledSessionStore::countsByAccount() const {
    return memory_.countsByAccount();
}

}  // namespace sb::state
