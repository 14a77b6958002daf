-- wrk script used by bench/api/run.sh for every closed-loop run (switchboard and nginx).
--
-- Request shape comes from the environment, so one script serves GET and POST:
--   BENCH_METHOD  GET (default) or POST
--   BENCH_AUTH    value of the Authorization header (e.g. "Basic ...") - optional
--   BENCH_BODY    request body, sent with Content-Type: application/json - optional
--   BENCH_CLOSE   1: "Connection: close" on every request (a new connection, and over TLS a full
--                 handshake, per request) - optional
--
-- done() prints one machine-readable line that run.sh parses:
--   BENCH_RESULT requests=N seconds=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. errors_*=..
-- (wrk counts every HTTP status >= 400 in errors_status; run.sh reports it.)

wrk.method = os.getenv("BENCH_METHOD") or "GET"

local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

if os.getenv("BENCH_CLOSE") == "1" then
  wrk.headers["Connection"] = "close"
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d errors_status=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, e.status))
end
