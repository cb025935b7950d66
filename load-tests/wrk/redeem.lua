-- wrk scenario "redeem": POST /v1/members/{random member}/redeem of 1 point with a unique
-- Idempotency-Key per request. Seeding gives every member 10000 points, so a 20 s run at a few
-- thousand requests per second does not exhaust any balance (watch for 422 in the statuses).
-- Needs BENCH_MEMBERS_FILE and BENCH_WRK_DIR (the folder of this script); see common.lua.
dofile((os.getenv("BENCH_WRK_DIR") or "load-tests/wrk") .. "/common.lua")

scenario = "redeem"

local headers = with_auth({ ["Content-Type"] = "application/json", ["Accept"] = "application/json" })
local body = '{"points":1,"orderId":"o","channel":"POS"}'

function make_request()
  headers["Idempotency-Key"] = next_key()
  return wrk.format("POST", "/v1/members/" .. random_member() .. "/redeem", headers, body)
end
