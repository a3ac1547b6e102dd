-- wrk script: POST record-clicks with a batch of 1000 clicks (no event_id: every request stores 1000 new rows).
-- 1000 clicks must fit in the 64 KiB body limit, so each item is kept short.
-- BENCH_EVENT_IDS=1: every click carries an event_id unique to this run (a partner's events), BENCH_BATCH clicks per
-- request (default 800, so the body stays under 64 KiB); the body is built per request.
local tracking_id = os.getenv("BENCH_TRACKING_ID")
local api_key = os.getenv("BENCH_API_KEY")
local items = {}
for i = 1, 1000 do
  items[i] = '{"tracking_id":"' .. tracking_id .. '","session_id":"b' .. i .. '"}'
end
wrk.method = "POST"
wrk.body = '{"clicks":[' .. table.concat(items, ",") .. ']}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = api_key

if os.getenv("BENCH_EVENT_IDS") == "1" then
  local batch = tonumber(os.getenv("BENCH_BATCH") or "800")
  local threads = 0
  function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
  end

  local prefix, n = nil, 0
  function request()
    prefix = prefix or (tostring(tid) .. string.format("%x", os.time() % 1048576))
    n = n + 1
    local events = {}
    for i = 1, batch do
      events[i] = '{"tracking_id":"' .. tracking_id .. '","event_id":"' .. prefix .. "-" .. n .. "-" .. i .. '"}'
    end
    return wrk.format(nil, nil, nil, '{"clicks":[' .. table.concat(events, ",") .. ']}')
  end
end
