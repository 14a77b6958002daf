#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus/<target>/ (small, real examples). The journal seed
is made by the server itself (tests/fuzz/corpus/journal_recovery/README.md); this script keeps
what is already there. Run from anywhere: python3 tests/fuzz/make_corpus.py"""
import base64, hashlib, hmac, json, os, struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
SECRET = b"fuzz-secret-0123456789abcdef0123"   # the secret the fuzz targets' TokenService uses
ACC = "9900000"
AUTH = "Basic " + base64.b64encode(b"demo:demo-password").decode()
PID = "5f0c8a42-3b7e-4c1a-9d2e-8b6f1a2c3d4e"
SID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def token(claims, header=None):
    h = json.dumps(header or {"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode()
    p = json.dumps(claims, separators=(",", ":")).encode()
    si = b64url(h) + "." + b64url(p)
    return si + "." + b64url(hmac.new(SECRET, si.encode(), hashlib.sha256).digest())


CLAIMS = {"a": ACC, "p": PID, "v": "v3", "iat": 1714566800, "exp": 1714570400, "iss": "switchboard"}
TOKEN = token(CLAIMS)


def request(method, path, body=None, auth=True, extra=""):
    h = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
    if auth:
        h += f"Authorization: {AUTH}\r\n"
    h += extra
    if body is not None:
        b = json.dumps(body) if not isinstance(body, str) else body
        h += f"Content-Type: application/json\r\nContent-Length: {len(b.encode())}\r\n\r\n{b}"
    else:
        h += "\r\n"
    return h


def http():
    base = f"/v1/accounts/{ACC}"
    seeds = {
        "create_participant": request("POST", base + "/participants",
                                      {"publishPermissions": ["AUDIO", "VIDEO"], "tag": "alice",
                                       "deviceApiVersion": "V3", "callbackUrl": "https://app.example/cb"}),
        "get_participant": request("GET", f"{base}/participants/{PID}"),
        "delete_participant": request("DELETE", f"{base}/participants/{PID}"),
        "create_session": request("POST", base + "/sessions", {"tag": "room-1"}),
        "get_session": request("GET", f"{base}/sessions/{SID}"),
        "delete_session": request("DELETE", f"{base}/sessions/{SID}"),
        "list_session_participants": request("GET", f"{base}/sessions/{SID}/participants"),
        "add_participant": request("PUT", f"{base}/sessions/{SID}/participants/{PID}",
                                   {"sessionId": SID, "participants": [{"participantId": PID, "streamAliases": ["cam"]}]}),
        "remove_participant": request("DELETE", f"{base}/sessions/{SID}/participants/{PID}"),
        "get_subscriptions": request("GET", f"{base}/sessions/{SID}/participants/{PID}/subscriptions"),
        "update_subscriptions": request("PUT", f"{base}/sessions/{SID}/participants/{PID}/subscriptions",
                                        {"sessionId": SID}),
        "create_call": request("POST", base + "/calls",
                               {"from": "+15555550100", "to": "+15555550123", "answerUrl": "https://app.example/answer",
                                "answerMethod": "POST", "disconnectUrl": "https://app.example/bye", "callTimeout": 30,
                                "tag": "t", "uui": "abcd;encoding=base64", "applicationId": "app-1"}),
        "get_call": request("GET", f"{base}/calls/c-0123456789abcdef"),
        "update_call": request("POST", f"{base}/calls/c-0123456789abcdef",
                               {"state": "active", "redirectUrl": "https://app.example/next", "redirectMethod": "GET", "tag": ""}),
        "healthz": request("GET", "/healthz", auth=False),
        "metrics": request("HEAD", "/metrics", auth=False),
        "openapi": request("HEAD", "/openapi.json", auth=False),
        "v3_check": request("GET", f"/v3/?token={TOKEN}&client=browser&sdkVersion=1.0&uniqueId=u1", auth=False),
        "v3_upgrade": request("GET", f"/v3/?token={TOKEN}&client=browser", auth=False,
                              extra="Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"),
        "demo_join": request("POST", "/demo/join", {"name": "Ana"}, auth=False),
        "demo_call": request("POST", "/demo/call", {"to": "+15555550123"}, auth=False),
        "demo_answer": request("POST", "/demo/answer", {"eventType": "answer", "callId": "c-0123456789abcdef"}, auth=False),
        "demo_hangup": request("POST", "/demo/calls/c-0123456789abcdef/hangup", auth=False),
        "percent_ff": request("GET", "/%FF", auth=False),
        "wrong_method": request("PATCH", base + "/sessions", auth=True),
        "chunked": f"POST {base}/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "4\r\n{\"ta\r\n9\r\ng\":\"x\"}  \r\n0\r\n\r\n",
        "pipelined": request("POST", base + "/sessions", {}) + request("GET", f"{base}/sessions/{SID}")
                     + request("GET", "/healthz", auth=False),
    }
    for k, v in seeds.items():
        put("http_request", k, v)


def jsonrpc():
    offer = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1 2\r\n"
             "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendonly\r\n"
             "a=msid:cam mic\r\na=rtpmap:111 opus/48000/2\r\n"
             "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=sendonly\r\n"
             "a=msid:cam video\r\na=rtpmap:96 VP8/90000\r\n"
             "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\n")
    msgs = {
        "set_media_preferences": {"jsonrpc": "2.0", "id": 1, "method": "setMediaPreferences", "params": {"protocol": "WEBRTC"}},
        "offer_sdp": {"jsonrpc": "2.0", "id": 2, "method": "offerSdp",
                      "params": {"sdpOffer": offer, "mediaMetadata": {"mediaStreams": {"cam": {"alias": "camera"}}}}},
        "answer_sdp": {"jsonrpc": "2.0", "id": "a", "method": "answerSdp", "params": {"sdpAnswer": "v=0\r\n"}},
        "ping": {"jsonrpc": "2.0", "id": 3, "method": "ping", "params": {}},
        "diagnostics": {"jsonrpc": "2.0", "method": "deviceDiagnostics", "params": {"logs": [{"level": "info", "msg": "hi"}]}},
        "send_dtmf": {"jsonrpc": "2.0", "id": 4, "method": "sendDtmf", "params": {"tones": "12#,A"}},
        "leave": {"jsonrpc": "2.0", "method": "leave"},
        "stray_response": {"jsonrpc": "2.0", "id": 9, "result": {}},
    }
    for k, v in msgs.items():
        put("json_rpc", k, json.dumps(v))
    put("json_rpc", "session", "\n".join(json.dumps(msgs[k]) for k in
                                         ["set_media_preferences", "offer_sdp", "ping", "send_dtmf", "diagnostics", "leave", "ping"]))
    put("json_rpc", "not_json", "{\"jsonrpc\":\"2.0\",\"id\":1,")
    put("json_rpc", "batch", "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]")


def tokens():
    put("token_verify", "valid", b"\0" + TOKEN.encode())
    put("token_verify", "expired", b"\0" + token(dict(CLAIMS, exp=1000)).encode())
    put("token_verify", "alg_none", b"\0" + (b64url(b'{"alg":"none"}') + "." + b64url(json.dumps(CLAIMS).encode()) + ".").encode())
    put("token_verify", "forged", b"\0" + TOKEN[:-4].encode() + b"AAAA")
    put("token_verify", "signed_claims", b"\1" + b'{"alg":"HS256","typ":"JWT"}\n' + json.dumps(CLAIMS).encode())
    put("token_verify", "signed_bad_types", b"\1" + b'{"alg":"HS256"}\n{"a":1,"p":[],"v":"v3","iat":"x","exp":1e99,"iss":null}')


def uui():
    put("uui", "transfer", f"0123456789abcdef0123456789abcdef;encoding=base64,{TOKEN};encoding=jwt")
    put("uui", "jwt_only", f"{TOKEN};encoding=jwt")
    put("uui", "quoted", '"a,b;c";encoding=hex;purpose=isdn-uui;content=isdn-uui , 0a0b ')
    put("uui", "hex", "3030303030;encoding=hex")


def https_redirect():
    port = bytes([0x01, 0xbb])  # 443
    put("https_redirect", "name", port + b"sb.example.com\0/demo/?a=1")
    put("https_redirect", "name_port", bytes([0x20, 0xfb]) + b"sb.example.com:80\0/v1/accounts")
    put("https_redirect", "ipv6", port + b"[2001:db8::1]:8080\0/")
    put("https_redirect", "crlf", port + b"evil\r\nSet-Cookie: x\0/")
    put("https_redirect", "absolute_target", port + b"a.b\0http://other/x")


def sip_response():
    # byte 0: where the input is cut in two, as TCP may deliver it
    ok = b"SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1:40000;branch=z9hG4bK1\r\nContent-Length: 0\r\n\r\n"
    trying = b"SIP/2.0 100 Trying\r\nl: 5\r\n\r\nhello"
    put("sip_response", "ok", b"\x20" + ok)
    put("sip_response", "trying_then_ok", b"\x07" + trying + b"\r\n\r\n" + ok)
    put("sip_response", "not_sip", b"\x03HTTP/1.1 200 OK\r\n\r\n")
    put("sip_response", "huge_length", b"\x00SIP/2.0 180 Ringing\r\nContent-Length: 99999999\r\n\r\n")


def sdp():
    chrome = ("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
              "a=group:BUNDLE 0 1 2\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS cam\r\n"
              "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\n"
              "a=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
              "a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\n"
              "a=setup:actpass\r\na=mid:0\r\na=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
              "a=sendonly\r\na=msid:cam mic-track\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"
              "a=fmtp:111 minptime=10;useinbandfec=1\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
              "a=rtpmap:126 telephone-event/8000\r\na=ssrc:1001 cname:x\r\na=ssrc:1001 msid:cam mic-track\r\n"
              "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=sendonly\r\n"
              "a=msid:cam video-track\r\na=rtpmap:96 VP8/90000\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n"
              "a=ssrc-group:FID 2001 2002\r\na=ssrc:2001 msid:cam video-track\r\n"
              "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=sctp-port:5000\r\n")
    for perm, name in [(3, "chrome_offer_av"), (1, "chrome_offer_audio_only"), (0, "chrome_offer_none")]:
        put("sdp", name, bytes([perm]) + chrome.encode())
    # Firefox's re-offer after a data-channel-only negotiation (max-bundle): audio and video with
    # port 0 and a=bundle-only (RFC 8843 §7.2), live on the bundle transport (captured from
    # Firefox 153 ESR, trimmed as tests/unit/media/TestTracks.cpp).
    firefox = ("v=0\r\no=mozilla...THIS_IS_SDPARTA-99.0 8015558617625228920 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
               "a=sendrecv\r\na=group:BUNDLE 0 1 2\r\na=ice-options:trickle\r\na=msid-semantic:WMS *\r\n"
               "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=sendrecv\r\n"
               "a=ice-pwd:435ad8a2d63e558f7bdac8989dca7cde\r\na=ice-ufrag:422e1255\r\na=mid:0\r\na=setup:actpass\r\n"
               "a=sctp-port:5000\r\na=max-message-size:1073741823\r\n"
               "m=audio 0 UDP/TLS/RTP/SAVPF 109 9 0 8 101\r\nc=IN IP4 0.0.0.0\r\na=bundle-only\r\na=sendrecv\r\n"
               "a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid\r\na=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1\r\n"
               "a=mid:1\r\na=msid:{710b1eb8-a199-4181-84c9-85ac3cd21d5a} {d67974df-eda6-430d-9a01-01cba5fdf19b}\r\n"
               "a=rtcp-mux\r\na=rtpmap:109 opus/48000/2\r\na=rtpmap:9 G722/8000/1\r\na=rtpmap:0 PCMU/8000\r\n"
               "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=setup:actpass\r\n"
               "a=ssrc:3343387038 cname:{f632abcd-41b0-410e-b1a2-4bd7bb897b74}\r\n"
               "m=video 0 UDP/TLS/RTP/SAVPF 120 124\r\nc=IN IP4 0.0.0.0\r\na=bundle-only\r\na=sendrecv\r\n"
               "a=mid:2\r\na=msid:{710b1eb8-a199-4181-84c9-85ac3cd21d5a} {0642df97-865a-4208-96c9-ccd3a3eb6c64}\r\n"
               "a=rtcp-mux\r\na=rtpmap:120 VP8/90000\r\na=rtpmap:124 rtx/90000\r\na=fmtp:124 apt=120\r\n"
               "a=ssrc-group:FID 2164752439 2580690107\r\n")
    for perm, name in [(3, "firefox_bundle_only_av"), (1, "firefox_bundle_only_audio_only")]:
        put("sdp", name, bytes([perm]) + firefox.encode())
    sip = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
    put("sdp", "sip_offer", b"\0" + (sip + "m=audio 4000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n").encode())
    put("sdp", "sip_answer", b"\4" + (sip + "m=audio 4002 RTP/AVP 0 101\r\nc=IN IP4 127.0.0.3\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n").encode())
    put("sdp", "sip_no_audio", b"\0" + (sip + "m=video 0 RTP/AVP 96\r\nm=audio 0 RTP/AVP 0\r\n").encode())
    put("sdp", "janus_answer", b"\3" + ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=VideoRoom 1234\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
                                          "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 127.0.0.1\r\na=recvonly\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n"
                                          "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 127.0.0.1\r\na=recvonly\r\na=mid:1\r\na=rtpmap:96 VP8/90000\r\n").encode())


def rtp_packet(pt, seq, ts, ssrc, payload, marker=False, csrc=(), ext=None, pad=0):
    b0 = 0x80 | (0x20 if pad else 0) | (0x10 if ext is not None else 0) | len(csrc)
    out = struct.pack("!BBHII", b0, (0x80 if marker else 0) | pt, seq, ts, ssrc)
    for c in csrc:
        out += struct.pack("!I", c)
    if ext is not None:
        out += struct.pack("!HH", 0xBEDE, len(ext) // 4) + ext
    out += payload
    if pad:
        out += b"\0" * (pad - 1) + bytes([pad])
    return out


def frames(packets):
    return b"".join(struct.pack("!H", len(p)) + p for p in packets)


def rtp():
    pcmu = bytes(range(160))
    put("rtp", "pcmu", frames([rtp_packet(0, 1, 160, 0x1234, pcmu, marker=True), rtp_packet(0, 2, 320, 0x1234, pcmu)]))
    put("rtp", "ext_csrc_pad", frames([rtp_packet(111, 7, 960, 5, b"\xf8\xff\xfe", csrc=(1, 2), ext=b"\x10\x7f\0\0", pad=4)]))
    # RFC 4733: digit 5 (updates, then the end packet three times), then '#'.
    ev = lambda e, end, dur: struct.pack("!BBH", e, (0x80 if end else 0) | 10, dur)
    put("rtp", "dtmf", frames([rtp_packet(101, 10, 8000, 9, ev(5, False, 160), marker=True),
                               rtp_packet(101, 11, 8000, 9, ev(5, False, 320)),
                               rtp_packet(101, 12, 8000, 9, ev(5, True, 800)),
                               rtp_packet(101, 13, 8000, 9, ev(5, True, 800)),
                               rtp_packet(101, 14, 9600, 9, ev(11, True, 400))]))


def jitter():
    def push(seq, ts, payload):
        return bytes([0]) + struct.pack("!HIH", seq, ts, len(payload)) + payload
    pop = b"\x01"
    seq_in_order = bytes([0x31]) + b"".join(push(s, s * 160, bytes([s & 0xff]) * 160) + pop for s in range(1, 12))
    put("jitter_buffer", "in_order", seq_in_order)
    reorder = bytes([0x82]) + push(100, 0, b"a" * 20) + push(102, 320, b"c" * 20) + pop + push(101, 160, b"b" * 20) + pop * 4 + push(101, 160, b"b") + pop
    put("jitter_buffer", "reordered_late", reorder)
    wrap = bytes([0x11]) + push(65534, 0, b"x") + push(65535, 160, b"y") + push(0, 320, b"z") + pop * 3 + push(3100, 9999, b"j") + push(3101, 10159, b"k") + b"\x03" * 12
    put("jitter_buffer", "wrap_and_jump", wrap)


def wav():
    def chunk(tag, data):
        return tag + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")
    def riff(fmt, data):
        body = b"WAVE" + chunk(b"fmt ", fmt) + chunk(b"LIST", b"INFOISFT\x04\0\0\0sb\0\0") + chunk(b"data", data)
        return b"RIFF" + struct.pack("<I", len(body)) + body
    pcm = b"".join(struct.pack("<h", (i * 397) % 20000 - 10000) for i in range(80))
    put("wav", "pcm16", riff(struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16), pcm))
    put("wav", "mulaw", riff(struct.pack("<HHIIHH", 7, 1, 8000, 8000, 1, 8), bytes(range(80))))
    put("wav", "alaw", riff(struct.pack("<HHIIHHH", 6, 1, 8000, 8000, 1, 8, 0), bytes(range(80))))
    ext = struct.pack("<HHIIHHHHI", 0xFFFE, 1, 8000, 16000, 2, 16, 22, 16, 4) + struct.pack("<H", 1) + \
          b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
    put("wav", "extensible", riff(ext, pcm))
    put("wav", "stereo_16k", riff(struct.pack("<HHIIHH", 1, 2, 16000, 64000, 4, 16), pcm))
    flt = b"".join(struct.pack("<f", ((i * 397) % 200 - 100) / 100.0) for i in range(80))
    put("wav", "float_44k", riff(struct.pack("<HHIIHHH", 3, 1, 44100, 176400, 4, 32, 0), flt))
    put("wav", "pcm24_48k", riff(struct.pack("<HHIIHH", 1, 1, 48000, 144000, 3, 24), pcm[:159]))


def bxml_docs():
    transfer = ('<?xml version="1.0" encoding="UTF-8" ?>\n<Response><Transfer transferCallerId="+15555550100" callTimeout="20" '
                'transferCompleteUrl="/done" tag="t">\n\t<SipUri uui="0123abcd;encoding=base64,' + TOKEN + ';encoding=jwt" '
                'transferAnswerUrl="https://app.example/ta" transferDisconnectUrl="/td">sip:9900000@127.0.0.1:5060</SipUri>'
                '<PhoneNumber transferAnswerMethod="GET" tag="">+15555550123</PhoneNumber></Transfer></Response>')
    docs = {
        "transfer": transfer,
        "verbs": '<Response><Tag>a</Tag><PlayAudio>audio/hi.wav</PlayAudio><SendDtmf toneDuration="100" toneInterval="60">12#w,W</SendDtmf>'
                 '<Pause duration="0.5"/><Ring duration="1"/><Hangup/></Response>',
        "redirect": '<Response><Redirect redirectUrl="https://app.example/next" redirectMethod="GET" tag="r"/></Response>',
        "bxml_root": '<Bxml><!-- hi --><Pause/><Ring/><PlayAudio><![CDATA[a.wav?x=1&y=2]]></PlayAudio></Bxml>',
        "unsupported": '<Response><SpeakSentence voice="julie">Hello</SpeakSentence><Forward to="+15555550123"/></Response>',
        "entities": '<Response><Tag>&lt;&amp;&#x263A;</Tag><PlayAudio>http://a/b?c=1&amp;d=2</PlayAudio></Response>',
        "empty": "",
    }
    for k, v in docs.items():
        put("bxml", k, v)
    put("call_flow", "answer_then_redirect", b"\0" + docs["redirect"].encode() + b"\0" + docs["verbs"].encode())
    put("call_flow", "transfer_answered", b"\x06" + transfer.encode() + b"\0" + docs["verbs"].encode())
    put("call_flow", "transfer_unanswered", b"\0" + transfer.encode() + b"\0<Response><Hangup/></Response>")
    put("call_flow", "inbound", b"\x01" + docs["verbs"].encode())
    put("call_flow", "invalid", b"\0<Response><Dance/></Response>")


def dicts():
    http_tokens = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", " HTTP/1.1\r\n", " HTTP/1.0\r\n", "\r\n\r\n",
                   "Host: ", "Authorization: Basic ", AUTH, "Content-Type: application/json\r\n", "Content-Length: ",
                   "Transfer-Encoding: chunked\r\n", "Connection: close\r\n", "Connection: keep-alive\r\n",
                   "Upgrade: websocket\r\n", "Connection: Upgrade\r\n", "Sec-WebSocket-Key: ", "Sec-WebSocket-Version: 13\r\n",
                   "/v1/accounts/", ACC, "/participants", "/sessions", "/subscriptions", "/calls", "/healthz", "/metrics",
                   "/openapi.json", "/v3/", "?token=", "&client=", "/demo/join", "/demo/call", "/demo/answer",
                   "/demo/calls/", "/hangup", "%FF", "%00", "%2F",
                   PID, SID, '"publishPermissions"', '"AUDIO"', '"VIDEO"', '"tag"', '"deviceApiVersion"', '"callbackUrl"',
                   '"sessionId"', '"participants"', '"participantId"', '"streamAliases"', '"from"', '"to"', '"answerUrl"',
                   '"answerMethod"', '"disconnectUrl"', '"callTimeout"', '"uui"', '"applicationId"', '"state"', '"redirectUrl"',
                   '"completed"', '"active"', '"name"', "null", "true", "false", "\\u0000", "\\ud800", "\xff", "\xc3"]
    sdp_tokens = ["v=0\r\n", "o=- 1 1 IN IP4 ", "s=-\r\n", "c=IN IP4 ", "c=IN IP6 ", "t=0 0\r\n", "m=audio ", "m=video ",
                  "m=application ", " RTP/AVP ", " UDP/TLS/RTP/SAVPF ", "a=mid:", "a=msid:", "a=sendrecv", "a=sendonly",
                  "a=recvonly", "a=inactive", "a=group:BUNDLE ", "a=rtpmap:", " PCMU/8000", " PCMA/8000", " opus/48000/2",
                  " telephone-event/8000", "a=fmtp:", "a=ssrc:", " msid:", "a=ptime:20", "a=bundle-only", "\r\n"]
    bxml_tokens = ["<Response>", "</Response>", "<Bxml>", "<Transfer", "</Transfer>", "<SipUri", "</SipUri>", "<PhoneNumber",
                   "</PhoneNumber>", "<Hangup/>", "<Pause", "<PlayAudio>", "</PlayAudio>", "<Redirect", "<SendDtmf", "</SendDtmf>",
                   "<Ring", "<Tag>", "</Tag>", "<SpeakSentence>", "<Gather>", "<StartGather", "<StopGather/>", "maxDigits", "terminatingDigits", "gatherUrl", "<![CDATA[", "]]>", "<!--", "-->", "<?xml",
                   "&amp;", "&#x", "uui=\"", "encoding=jwt", "encoding=base64", "transferCallerId=\"", "callTimeout=\"",
                   "transferCompleteUrl=\"", "transferAnswerUrl=\"", "transferDisconnectUrl=\"", "redirectUrl=\"",
                   "redirectMethod=\"GET\"", "duration=\"", "toneDuration=\"", "toneInterval=\"", "tag=\"", "sip:", "sips:",
                   "http://", "https://", "+1555", "Anonymous"]
    def write(name, tokens):
        with open(os.path.join(os.path.dirname(ROOT), "dict", name + ".dict"), "w") as f:
            for t in tokens:
                esc = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "\\x%02x" % ord(c) for c in t) \
                    if all(ord(c) < 256 for c in t) else t
                f.write(f'"{esc}"\n')
    write("http_request", http_tokens)
    write("sdp", sdp_tokens)
    write("bxml", bxml_tokens)
    write("call_flow", bxml_tokens)


if __name__ == "__main__":
    http(); jsonrpc(); tokens(); uui(); https_redirect(); sip_response(); sdp(); rtp(); jitter(); wav(); bxml_docs(); dicts()
