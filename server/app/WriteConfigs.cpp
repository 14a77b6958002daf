#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "server/app/Commands.hpp"
#include "server/app/JanusConfig.hpp"
#include "server/app/TurnServerConf.hpp"
#include "server/auth/SecretFile.hpp"

namespace sb::app {

namespace fs = std::filesystem;

namespace {

// The only modules Janus may load; the templates' disable lists say the same for the system
// folders, and exit_on_dl_error makes a missing one fatal.
const std::pair<const char*, const char*> kModules[] = {{"plugins", "libjanus_videoroom.so"},
                                                        {"transports", "libjanus_websockets.so"}};

// Where the Debian package (or a local build) keeps Janus's plugins/, transports/, ... folders:
// the same search as scripts/janus.mjs.
fs::path findJanusModulesDir() {
    std::vector<fs::path> candidates;
    if (const char* env = std::getenv("JANUS_MODULES_DIR")) candidates.emplace_back(env);
    std::error_code ec;
    for (const auto& d : fs::directory_iterator("/usr/lib", ec))
        candidates.push_back(d.path() / "janus");
    for (const char* d : {"/usr/lib/janus", "/usr/local/lib/janus", "/opt/janus/lib/janus"})
        candidates.emplace_back(d);
    for (const auto& c : candidates)
        if (fs::exists(c / "plugins/libjanus_videoroom.so", ec)) return c;
    throw std::runtime_error(
        "Janus modules not found (is the Debian package janus installed? or set "
        "JANUS_MODULES_DIR)");
}

// DIR/modules: a folder per kind holding links to the allowed modules only, so nothing else in
// the system folder can be loaded even if a disable list falls behind a Janus upgrade.
fs::path isolateModules(const fs::path& dir) {
    const auto system = findJanusModulesDir();
    auto modules = dir / "modules";
    fs::remove_all(modules);  // links only: remove_all does not follow them
    for (const char* kind : {"plugins", "transports", "events", "loggers"})
        fs::create_directories(modules / kind);
    for (const auto& [kind, file] : kModules)
        fs::create_symlink(system / kind / file, modules / kind / file);
    return modules;
}

// Written to a temp file and renamed over `path`: Janus starting meanwhile reads either the
// old file or the new one, never half of one.
void writeFileAtomically(const fs::path& path, const std::string& text, mode_t mode) {
    const auto tmp = path.string() + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
    std::size_t done = 0;
    int err = 0;
    while (done < text.size() && err == 0) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno != EINTR) err = errno;
        if (n > 0) done += static_cast<std::size_t>(n);
    }
    if (err == 0 && ::fchmod(fd, mode) != 0) err = errno;  // whatever the umask
    if (err == 0 && ::fsync(fd) != 0) err = errno;
    ::close(fd);
    if (err == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
    if (err != 0) {
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(err));
    }
}

// The key given in the config; else one kept in janusAdminKeyFile, or in DIR/admin_key when
// that is not set either: created (random) on the first run and reused after, so running
// --write-configs again never changes the key switchboard reads.
std::string adminKey(const Config& c, const fs::path& dir, std::ostream& out) {
    if (!c.janusAdminKey.empty()) return c.janusAdminKey;
    const auto file =
        c.janusAdminKeyFile.empty() ? (dir / "admin_key").string() : c.janusAdminKeyFile;
    std::string key;
    try {
        key = auth::loadOrCreateSecret(file);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("janus admin key: ") + e.what());
    }
    out << "admin key: in " << file;
    if (c.janusAdminKeyFile.empty())
        out << " (switchboard reads it when janusAdminKeyFile names it, or pass --janus-admin-key)";
    out << "\n";
    return key;
}

}  // namespace

int writeConfigs(const Config& c, const std::string& dirName, std::ostream& out,
                 std::ostream& err) {
    try {
        if (!c.janusUrl) throw std::runtime_error("janusUrl: needed (where Janus listens)");
        const auto listen = janusListen(*c.janusUrl);
        const auto addressing = janusAddressing(c);
        fs::create_directories(dirName);
        const auto dir = fs::absolute(dirName).lexically_normal();
        std::string interfaces;
        for (const auto& i : c.mediaInterfaces) interfaces += (interfaces.empty() ? "" : ",") + i;
        const TemplateValues values{
            {"CONFIGS_FOLDER", dir.string()},
            {"MODULES_DIR", isolateModules(dir).string()},
            {"DEBUG_LEVEL", "4"},
            {"SESSION_TIMEOUT", "60"},
            {"RTP_PORT_RANGE",
             std::to_string(c.mediaPortMin) + "-" + std::to_string(c.mediaPortMax)},
            {"ICE_ENFORCE_LIST", interfaces},
            {"LOCAL_IP", addressing.localIp},
            {"NAT_MAPPING", addressing.natMapping},
            {"KEEP_PRIVATE_HOST", addressing.natMapping.empty() ? "" : "false"},
            {"WS_IP", listen.ip},
            {"WS_PORT", std::to_string(listen.port)},
            {"ADMIN_KEY", adminKey(c, dir, out)}};
        for (const auto& t : janusTemplates()) {
            // The VideoRoom config holds the admin key: not readable by everyone.
            const mode_t mode = t.name == "janus.plugin.videoroom.jcfg" ? 0640 : 0644;
            writeFileAtomically(dir / t.name, fillTemplate(t.name, t.text, values), mode);
            out << "wrote " << (dir / t.name).string() << "\n";
        }
        if (c.turn) {
            // Holds the TURN secret: not readable by everyone.
            writeFileAtomically(dir / "turnserver.conf", renderTurnserverConf(c), 0640);
            out << "wrote " << (dir / "turnserver.conf").string() << "\n";
        }
        if (!addressing.natMapping.empty())
            out << "janus: nat_1_1_mapping " << addressing.natMapping << " (publicAddress "
                << *c.publicAddress << ")\n";
        else if (!addressing.localIp.empty())
            out << "janus: interface " << addressing.localIp << " (publicAddress "
                << *c.publicAddress << " is this machine's own)\n";
        out << "run: janus -C " << (dir / "janus.jcfg").string() << " -F " << dir.string() << "\n";
        return 0;
    } catch (const std::exception& e) {
        err << "switchboard: --write-configs: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace sb::app
