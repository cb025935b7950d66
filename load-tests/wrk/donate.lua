-- wrk scenario "donate": POST /v1/members/{random member}/donations of 10 points to one cause
-- (BENCH_CAUSE_ID, created by benchmark.sh with 10 % matching and a budget no run spends), with a
-- unique Idempotency-Key per request: every request contends for the cause's row.
-- Needs BENCH_MEMBERS_FILE, BENCH_WRK_DIR and BENCH_CAUSE_ID; see common.lua.
dofile((os.getenv("BENCH_WRK_DIR") or "load-tests/wrk") .. "/common.lua")

scenario = "donate"

local cause = os.getenv("BENCH_CAUSE_ID") or error("BENCH_CAUSE_ID is not set")
local headers = with_auth({ ["Content-Type"] = "application/json", ["Accept"] = "application/json" })
local body = '{"causeId":"' .. cause .. '","points":10,"channel":"ONLINE"}'

function make_request()
  headers["Idempotency-Key"] = next_key()
  return wrk.format("POST", "/v1/members/" .. random_member() .. "/donations", headers, body)
end
