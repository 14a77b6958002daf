#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "server/app/Commands.hpp"
#include "server/app/JanusConfig.hpp"

// switchboard --check-config FILE: every problem the server would meet at start-up with FILE,
// listed at once, each naming its key: the JSON, each key's type and value, the rules between
// keys (ConfigValidate.cpp), and the files and folders the configuration names.

namespace sb::app {

namespace fs = std::filesystem;

namespace {

void checkReadableFile(const std::string& key, const std::string& path,
                       std::vector<std::string>& problems) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        problems.push_back(key + ": " + path + " is not a file");
    else if (::access(path.c_str(), R_OK) != 0)
        problems.push_back(key + ": " + path + " is not readable");
}

void checkFiles(const Config& c, std::vector<std::string>& problems) {
    std::error_code ec;
    if (c.webRoot && !fs::is_directory(*c.webRoot, ec))
        problems.push_back("webRoot: " + *c.webRoot + " is not a folder");
    if (!c.callbackCaFile.empty()) checkReadableFile("callbackCaFile", c.callbackCaFile, problems);
    if (c.janusAdminKey.empty() && !c.janusAdminKeyFile.empty() &&
        ::access(c.janusAdminKeyFile.c_str(), R_OK) != 0)
        problems.push_back("janusAdminKeyFile: " + c.janusAdminKeyFile +
                           " is not readable (switchboard --write-configs creates it)");
    // Readable only: whether they hold a matching certificate and key is found when the server
    // starts (it says which file is wrong and why).
    if (c.tls) {
        checkReadableFile("tls.certFile", c.tls->certFile, problems);
        checkReadableFile("tls.keyFile", c.tls->keyFile, problems);
    }
    if (fs::exists(c.dataDir, ec)) {
        if (!fs::is_directory(c.dataDir, ec))
            problems.push_back("dataDir: " + c.dataDir + " is not a folder");
        else if (c.store == "sqlite" && ::access(c.dataDir.c_str(), W_OK) != 0)
            problems.push_back("dataDir: " + c.dataDir + " is not writable");
    }
    if (c.janusUrl) {
        try {
            janusListen(*c.janusUrl);
        } catch (const std::exception& e) {
            problems.push_back(e.what());
        }
    }
}

}  // namespace

int checkConfig(const std::string& file, std::ostream& out, std::ostream& err) {
    Config c;
    auto problems = configFileProblems(file, c);
    // Without a JSON object there are no keys whose files could be checked.
    bool parsed = true;
    for (const char* whole : {"not valid JSON", "not a JSON object", "cannot read"})
        parsed = parsed && (problems.empty() || problems.front().rfind(whole, 0) != 0);
    if (parsed) checkFiles(c, problems);
    if (problems.empty()) {
        out << file << ": ok\n";
        return 0;
    }
    for (const auto& p : problems) err << file << ": " << p << "\n";
    err << file << ": " << problems.size() << (problems.size() == 1 ? " problem" : " problems")
        << "\n";
    return 1;
}

}  // namespace sb::app
