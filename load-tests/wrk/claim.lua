-- wrk scenario "claim": POST /v1/members/{random member}/rewards/{one reward}/claims with a unique
-- Idempotency-Key per request: every request contends for the stock row of the same reward (one
-- point, a billion units, created by benchmark.sh as BENCH_REWARD_ID). Seeding gives every member
-- 10000 points, so a run does not exhaust any balance (watch for 409 in the statuses).
-- Needs BENCH_MEMBERS_FILE, BENCH_WRK_DIR and BENCH_REWARD_ID; see common.lua.
dofile((os.getenv("BENCH_WRK_DIR") or "load-tests/wrk") .. "/common.lua")

scenario = "claim"

local reward = os.getenv("BENCH_REWARD_ID") or error("BENCH_REWARD_ID is not set")
local headers = with_auth({ ["Content-Type"] = "application/json", ["Accept"] = "application/json" })
local body = '{"channel":"ONLINE","expectedPoints":1}'

function make_request()
  headers["Idempotency-Key"] = next_key()
  return wrk.format("POST", "/v1/members/" .. random_member() .. "/rewards/" .. reward .. "/claims", headers, body)
end
