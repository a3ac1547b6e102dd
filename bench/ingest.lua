-- wrk script: POST record-clicks with a batch of 1000 clicks (no event_id: every request stores 1000 new rows).
-- 1000 clicks must fit in the 64 KiB body limit, so each item is kept short.
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
