-- wrk scenario "hold" (hold+capture): checkout pairs. Each pair is
--   POST /v1/members/{random member}/holds  {"points":1,"orderId":"o","channel":"ONLINE"}  -> 201 {"holdId":...}
--   POST /v1/holds/{holdId}/capture         (no body, Content-Length: 0)                 -> 200
-- each with its own Idempotency-Key. Seeding gives every member 10000 points, so a run of 1-point
-- pairs does not exhaust any balance (watch for 422 in the statuses).
--
-- wrk calls request() for the next request of a connection after that connection's response went
-- through response(), but request() and response() belong to the wrk thread, not to a connection:
-- another connection of the same thread may call request() in between. So each thread keeps a
-- queue of created holds: response() appends the holdId of every 201, request() captures the
-- oldest queued hold, or creates a hold when the queue is empty. Every hold is captured by the
-- next request of its thread that finds it queued, usually on the same connection.
--
-- Results (on top of common.lua's): holds = 201 answers (holds created), captures = 200 answers
-- (holds captured), captures_per_s = pairs per second. Holds still queued when wrk stops are never
-- captured; they stay PENDING until the hold-expiry job releases them (15 minutes by default).
-- Needs BENCH_MEMBERS_FILE and BENCH_WRK_DIR (the folder of this script); see common.lua.
dofile((os.getenv("BENCH_WRK_DIR") or "load-tests/wrk") .. "/common.lua")

scenario = "hold"

-- Per-thread counters, summed over the threads by common.lua's done().
extra_counters = { "holds", "captures", "holds_unparsed" }
holds = 0            -- 201 answers: holds created
captures = 0         -- 200 answers: holds captured (one per completed pair)
holds_unparsed = 0   -- 201 answers without a holdId in the body (never captured)

local hold_headers = with_auth({ ["Content-Type"] = "application/json", ["Accept"] = "application/json" })
local capture_headers = with_auth({ ["Accept"] = "application/json" })
local hold_body = '{"points":1,"orderId":"o","channel":"ONLINE"}'

-- FIFO of holdIds waiting for their capture (this thread's).
local queue = {}
local queue_head = 1
local queue_tail = 0

function make_request()
  if queue_head <= queue_tail then
    local hold_id = queue[queue_head]
    queue[queue_head] = nil
    queue_head = queue_head + 1
    capture_headers["Idempotency-Key"] = next_key()
    -- An empty body: wrk.format then sends "Content-Length: 0" (a POST without a body).
    return wrk.format("POST", "/v1/holds/" .. hold_id .. "/capture", capture_headers, "")
  end
  hold_headers["Idempotency-Key"] = next_key()
  return wrk.format("POST", "/v1/members/" .. random_member() .. "/holds", hold_headers, hold_body)
end

local count_status = response   -- common.lua's: counts statuses per thread

function response(status, headers, body)
  count_status(status, headers, body)
  if status == 201 then
    holds = holds + 1
    local hold_id = body and body:match('"holdId"%s*:%s*"([%x%-]+)"')
    if hold_id and #hold_id == 36 then
      queue_tail = queue_tail + 1
      queue[queue_tail] = hold_id
    else
      holds_unparsed = holds_unparsed + 1
    end
  elseif status == 200 then
    captures = captures + 1
  end
end
