-- wrk "limit" scenario "live": GET /q/health/live, the closest thing the service has to a bare
-- JSON endpoint. It is served by the same Quarkus build and HTTP server as the API, needs no
-- authentication and touches neither PostgreSQL nor Redis: it answers {"status":"UP","checks":[...]}
-- from SmallRye Health's liveness checks, which here are only SmallRye Reactive Messaging's
-- in-memory channel check. benchmark.sh measures it at 64 connections, as "balance", to give the
-- HTTP + JSON ceiling of the service's stack on this machine.
-- Needs BENCH_MEMBERS_FILE (common.lua reads it, unused here) and BENCH_WRK_DIR; see common.lua.
dofile((os.getenv("BENCH_WRK_DIR") or "load-tests/wrk") .. "/common.lua")

scenario = "live"

local headers = { ["Accept"] = "application/json" }

function make_request()
  return wrk.format("GET", "/q/health/live", headers)
end
