#include "server/state/CommitScope.hpp"

namespace sb::state {

namespace {
thread_local CommitScope* current = nullptr;
}

CommitScope::CommitScope() : outer_(current) {
    current = this;
}

CommitScope::~CommitScope() {
    current = outer_;
}

bool CommitScope::defer(std::uint64_t seq) {
    if (!current) return false;
    if (seq > current->seq_) current->seq_ = seq;
    return true;
}

}  // namespace sb::state
