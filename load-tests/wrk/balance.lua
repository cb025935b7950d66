-- wrk scenario "balance": GET /v1/members/{random member}/balance (Redis first, PostgreSQL on a miss).
-- Needs BENCH_MEMBERS_FILE and BENCH_WRK_DIR (the folder of this script); see common.lua.
dofile((os.getenv("BENCH_WRK_DIR") or "load-tests/wrk") .. "/common.lua")

scenario = "balance"

local headers = with_auth({ ["Accept"] = "application/json" })

function make_request()
  return wrk.format("GET", "/v1/members/" .. random_member() .. "/balance", headers)
end
