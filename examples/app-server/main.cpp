// An application server for switchboard, in C++: session + participant over REST, and the answer
// callback that transfers a phone call into the session (see README.md). Synchronous Beast: an
// example keeps to the simplest form that works.

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detail/base64.hpp>
#include <boost/beast/http.hpp>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "server/voice/TransferBxml.hpp"

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;
using nlohmann::json;

struct Options {
    std::string apiHost = "127.0.0.1", apiPort = "8080", account = "9900000", user = "demo",
                password = "demo-password";
    std::string listenHost = "127.0.0.1";
    unsigned short listenPort = 9000;
    std::string sipUri = "sip:127.0.0.1:5060";
};

// One REST call to switchboard; returns the parsed JSON body (throws on HTTP errors).
json rest(const Options& o, http::verb method, const std::string& path, const json& body) {
    boost::asio::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.connect(resolver.resolve(o.apiHost, o.apiPort));
    http::request<http::string_body> req{method, "/v1/accounts/" + o.account + path, 11};
    req.set(http::field::host, o.apiHost);
    std::string credentials = o.user + ":" + o.password;
    std::string encoded(beast::detail::base64::encoded_size(credentials.size()), '\0');
    encoded.resize(
        beast::detail::base64::encode(encoded.data(), credentials.data(), credentials.size()));
    req.set(http::field::authorization, "Basic " + encoded);
    req.set(http::field::content_type, "application/json");
    if (!body.is_null()) req.body() = body.dump();
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    if (res.result_int() >= 300)
        throw std::runtime_error(path + ": HTTP " + std::to_string(res.result_int()) + " " +
                                 res.body());
    return res.body().empty() ? json() : json::parse(res.body());
}

int main(int argc, char** argv) {
    Options o;
    std::map<std::string, std::string*> flags{{"--account", &o.account},
                                              {"--user", &o.user},
                                              {"--password", &o.password},
                                              {"--sip", &o.sipUri}};
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--api") {
            auto hostPort = value.substr(value.find("//") + 2);
            o.apiHost = hostPort.substr(0, hostPort.find(':'));
            o.apiPort = hostPort.substr(hostPort.find(':') + 1);
        } else if (flag == "--listen") {
            o.listenHost = value.substr(0, value.find(':'));
            o.listenPort =
                static_cast<unsigned short>(std::stoi(value.substr(value.find(':') + 1)));
        } else if (flags.count(flag)) {
            *flags[flag] = value;
        } else {
            std::cerr << "unknown flag " << flag << "\n";
            return 2;
        }
    }
    try {
        auto session = rest(o, http::verb::post, "/sessions", json{{"tag", "example"}});
        auto phone = rest(o, http::verb::post, "/participants",
                          json{{"publishPermissions", {"AUDIO"}}, {"tag", "phone"}});
        auto browser = rest(o, http::verb::post, "/participants",
                            json{{"publishPermissions", {"AUDIO", "VIDEO"}}});
        std::string sid = session["id"];
        json everyone{{"sessionId", sid}};
        rest(o, http::verb::put,
             "/sessions/" + sid + "/participants/" + phone["participant"]["id"].get<std::string>(),
             everyone);
        rest(
            o, http::verb::put,
            "/sessions/" + sid + "/participants/" + browser["participant"]["id"].get<std::string>(),
            everyone);
        std::cout << "session " << sid
                  << "\nbrowser device token: " << browser["token"].get<std::string>() << std::endl;

        boost::asio::io_context ioc;
        tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address(o.listenHost), o.listenPort});
        std::cout << "answer callback on http://" << o.listenHost << ":" << o.listenPort
                  << "/answer" << std::endl;
        for (;;) {
            tcp::socket socket(ioc);
            acceptor.accept(socket);
            beast::flat_buffer buffer;
            http::request<http::string_body> req;
            beast::error_code ec;
            http::read(socket, buffer, req, ec);
            if (ec) continue;
            http::response<http::string_body> res{http::status::ok, req.version()};
            auto event = json::parse(req.body(), nullptr, false);
            if (req.target() == "/answer" && event.is_object()) {
                // The answered call joins the session as the phone participant.
                res.set(http::field::content_type, "application/xml");
                res.body() = sb::voice::generateTransferBxml(phone["token"],
                                                             event.value("callId", ""), o.sipUri);
                std::cout << "transferring call " << event.value("callId", "") << " into session "
                          << sid << std::endl;
            } else {
                res.result(
                    http::status::no_content);  // disconnect and other events: noted, nothing to do
            }
            res.prepare_payload();
            http::write(socket, res, ec);
        }
    } catch (const std::exception& e) {
        std::cerr << "app-server: " << e.what() << "\n";
        return 1;
    }
}
