-- The script bench/wrk-load.js runs wrk with: each request asks for the next path of the list in
-- WRK_PATHS (one line each, taken in turn, round and round), with WRK_TOKEN as a bearer token when
-- set. Counts where each answer came from (Tilegate-Cache), and prints the run as one JSON line.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local token = os.getenv("WRK_TOKEN")
if token ~= nil and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end

local next_path = 0
function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

-- Counted per thread (each has its own Lua state); done() runs in another and reads them with get.
sources = {}
function response(status, headers, body)
  local source = headers["Tilegate-Cache"] or headers["tilegate-cache"] or "none"
  sources[source] = (sources[source] or 0) + 1
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for source, n in pairs(thread:get("sources")) do totals[source] = (totals[source] or 0) + n end
  end
  local counted = {}
  for source, n in pairs(totals) do counted[#counted + 1] = string.format('"%s":%d', source, n) end
  local e = summary.errors
  io.write(string.format('{"requests":%d,"durationUs":%d,"socketErrors":%d,"badStatus":%d,"p50Us":%d,"p99Us":%d,"sources":{%s}}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), table.concat(counted, ",")))
end
