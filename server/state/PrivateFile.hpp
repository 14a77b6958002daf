#pragma once
#include <string>

namespace sb::state {

// Creates `path` empty with mode 0600 if it does not exist (whatever the umask); an existing file
// is left as it is. For the SQLite database: SQLite would create it 0644 (less the umask), and it
// gives its -wal and -shm files the database file's mode (os_unix.c, findCreateFileMode and
// unixOpenSharedMemory), so they are 0600 too. An empty file is an empty database to SQLite.
// Does nothing for ":memory:" and "file:" URIs. Throws std::runtime_error if it cannot.
void createPrivateFile(const std::string& path);

}  // namespace sb::state
