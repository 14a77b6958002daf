#pragma once
// Helpers for the SIP endpoint tests: free loopback ports, an asio pump, and sipp as a child
// process (fork/exec, killed if it outlives its deadline). Everything stays on 127.0.0.1.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace sb::sip::test {

inline std::string scenarioPath(const std::string& name) {
    // From the source tree CMake names (not __FILE__: compiler caches may make it relative).
    return (std::filesystem::path(SB_SOURCE_DIR) / "tests" / "sip" / "scenarios" / name)
        .lexically_normal()
        .string();
}

// A port free for both UDP and TCP on 127.0.0.1 (bound, read back, released: racy only in
// theory, the kernel hands out ephemeral ports round-robin).
inline std::uint16_t freePort() {
    for (int attempt = 0; attempt < 50; ++attempt) {
        int u = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = 0;
        socklen_t len = sizeof a;
        std::uint16_t port = 0;
        if (::bind(u, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
            ::getsockname(u, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
            port = ntohs(a.sin_port);
        }
        int t = ::socket(AF_INET, SOCK_STREAM, 0);
        bool tcpOk = port != 0 && ::bind(t, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        ::close(t);
        ::close(u);
        if (tcpOk && port < 65000) return port;
    }
    return 0;
}

// Runs handlers until pred() holds or the timeout passes; returns pred().
template <class Pred>
bool pump(boost::asio::io_context& io, Pred pred,
          std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    // Dropping the previous pump's guard left the context stopped: restart it.
    if (io.stopped()) io.restart();
    auto guard = boost::asio::make_work_guard(io);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred() && std::chrono::steady_clock::now() < deadline) {
        io.run_for(std::chrono::milliseconds(10));
    }
    return pred();
}

inline std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// sipp (or any program) as a child with its output in <dir>/output.txt.
class Child {
  public:
    Child(std::vector<std::string> args, const std::string& dir) : dir_(dir) {
        pid_ = ::fork();
        if (pid_ == 0) {
            if (::chdir(dir.c_str()) != 0) ::_exit(126);
            int fd = ::open((dir + "/output.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd >= 0) {
                ::dup2(fd, 1);
                ::dup2(fd, 2);
                ::close(fd);
            }
            int devnull = ::open("/dev/null", O_RDONLY);
            if (devnull >= 0) ::dup2(devnull, 0);
            // sofia's sockets are not close-on-exec: don't let the child keep them.
            for (int other = 3; other < 1024; ++other) ::close(other);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execvp(argv[0], argv.data());
            ::_exit(127);
        }
    }
    ~Child() { kill(); }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    // Exit status once exited (-1 while running, 128+signal when killed).
    int poll() {
        if (pid_ > 0 && status_ < 0) {
            int st = 0;
            if (::waitpid(pid_, &st, WNOHANG) == pid_) {
                status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
                pid_ = -1;
            }
        }
        return status_;
    }
    bool exited() { return poll() >= 0; }
    void kill() {
        if (pid_ > 0 && poll() < 0) {
            ::kill(pid_, SIGKILL);
            int st = 0;
            ::waitpid(pid_, &st, 0);
            status_ = 128 + SIGKILL;
            pid_ = -1;
        }
    }
    std::string output() const { return readFile(dir_ + "/output.txt"); }

  private:
    std::string dir_;
    pid_t pid_ = -1;
    int status_ = -1;
};

// A fresh folder for one sipp run (its cwd, output and logs), removed afterwards unless
// SB_KEEP_SIPP_LOGS is set.
struct TempDir {
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "sb-sip-XXXXXX").string();
        if (::mkdtemp(tmpl.data())) path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        if (!path.empty() && !std::getenv("SB_KEEP_SIPP_LOGS"))
            std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string path;
};

// Common sipp arguments: loopback only (SIP, media and control sockets), one call, no stdin,
// a hard deadline.
inline std::vector<std::string> sippArgs(std::uint16_t sipPort, std::uint16_t mediaPort) {
    return {"sipp",      "-m",
            "1",         "-i",
            "127.0.0.1", "-ci",
            "127.0.0.1", "-bind_local",
            "-p",        std::to_string(sipPort),
            "-mp",       std::to_string(mediaPort),
            "-nostdin",  "-timeout",
            "15s",       "-timeout_error"};
}

}  // namespace sb::sip::test
