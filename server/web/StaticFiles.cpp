#include "server/web/StaticFiles.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/net/HttpError.hpp"
#include "server/net/RequestContext.hpp"

namespace sb::web {

std::string contentTypeFor(const std::string& path) {
    auto ext = std::filesystem::path(path).extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".wasm") return "application/wasm";  // required by WebAssembly.instantiateStreaming
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json" || ext == ".map") return "application/json";
    if (ext == ".ts") return "text/plain; charset=utf-8";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    return "application/octet-stream";
}

net::Handler staticFiles(std::string root, std::string index) {
    return [root = std::move(root), index = std::move(index)](net::RequestContext& ctx) {
        const auto& req = ctx.request();
        if (req.method != "GET" && req.method != "HEAD") throw net::errors::routeNotFound(req.path);
        std::string rel = req.path;
        if (rel.empty() || rel.back() == '/') rel += index;
        // Confinement: reject any segment that is empty, "." or "..", or a dot-file.
        std::filesystem::path clean;
        std::stringstream ss(rel);
        std::string seg;
        while (std::getline(ss, seg, '/')) {
            if (seg.empty()) continue;
            if (seg[0] == '.' || seg.find('\\') != std::string::npos ||
                seg.find('\0') != std::string::npos)
                throw net::errors::routeNotFound(req.path);
            clean /= seg;
        }
        auto full = std::filesystem::path(root) / clean;
        std::error_code ec;
        if (std::filesystem::is_directory(full, ec)) {
            net::HttpResponse r;
            r.status = 301;
            r.contentType.clear();
            r.headers.emplace_back("Location", req.path + "/");
            return r;
        }
        std::ifstream in(full, std::ios::binary);
        if (!in || !std::filesystem::is_regular_file(full, ec))
            throw net::errors::routeNotFound(req.path);
        std::ostringstream body;
        body << in.rdbuf();
        net::HttpResponse r;
        r.body = body.str();
        r.contentType = contentTypeFor(full.string());
        r.headers.emplace_back("Cache-Control", "no-cache");
        return r;
    };
}

}  // namespace sb::web
