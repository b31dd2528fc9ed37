-- wrk script for scripts/bench-gateway.sh: POSTs JSON bodies of BATCH events each to PATH.
-- Usage: wrk ... -s post-events.lua <url> -- <batch> <path>
-- Bodies are built once per wrk thread (200 distinct ones, cycled), so wrk spends its CPU on HTTP,
-- not on Lua. Events differ in deviceId/metricId/timestamp/value like a fleet's would; timestamps
-- are "now" at start minus a few ms, so they stay valid for the gateway's future-skew check.
local batch = 1
local path = "/events"
local requests = {}
local counter = 0

function init(args)
  batch = tonumber(args[1] or "1")
  path = args[2] or "/events"
  local now = os.time() * 1000
  local seed = math.random(0, 100000)
  for i = 1, 200 do
    local events = {}
    for j = 1, batch do
      local n = seed + (i - 1) * batch + j
      events[j] = string.format('{"deviceId":%d,"metricId":%d,"timestamp":%d,"value":%.3f}',
        n % 10000, n % 16, now - (n % 60000), (n % 1000) / 8)
    end
    local body
    if batch == 1 then body = events[1] else body = "[" .. table.concat(events, ",") .. "]" end
    requests[i] = wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body)
  end
end

function request()
  counter = counter % #requests + 1
  return requests[counter]
end
