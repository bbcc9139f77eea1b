-- The script bench/wrk-load.js runs wrk with: each request asks for the next path of the list in
-- WRK_PATHS (one line each, taken in turn, round and round), with WRK_TOKEN as a bearer token when
-- set; the run is printed as one JSON line. No response() callback: with one, wrk copies every
-- body into Lua, which on the benchmark's larger tiles cost more than the whole of undici.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local token = os.getenv("WRK_TOKEN")
if token ~= nil and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end

local next_path = 0
function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"durationUs":%d,"socketErrors":%d,"badStatus":%d,"p50Us":%d,"p99Us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
