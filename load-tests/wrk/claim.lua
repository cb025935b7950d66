-- wrk scenarios "claim" and "claim-spread": POST /v1/members/{random member}/rewards/{reward}/claims
-- with a unique Idempotency-Key per request. "claim": every request contends for the stock row of
-- the same reward; "claim-spread": each request picks one of 100 rewards, so that hardly any two
-- claims of a batch share a row (the comparison that shows what the one hot row costs). The
-- rewards (one point, a billion units each) are created by benchmark.sh and given as
-- BENCH_REWARD_IDS, comma-separated. Seeding gives every member 10000 points, so a run does not
-- exhaust any balance (watch for 409 in the statuses).
-- Needs BENCH_MEMBERS_FILE, BENCH_WRK_DIR and BENCH_REWARD_IDS; see common.lua.
dofile((os.getenv("BENCH_WRK_DIR") or "load-tests/wrk") .. "/common.lua")

local rewards = {}
for id in string.gmatch(os.getenv("BENCH_REWARD_IDS") or error("BENCH_REWARD_IDS is not set"), "[^,]+") do
  rewards[#rewards + 1] = id
end
scenario = #rewards == 1 and "claim" or "claim-spread"
local headers = with_auth({ ["Content-Type"] = "application/json", ["Accept"] = "application/json" })
local body = '{"channel":"ONLINE","expectedPoints":1}'

function make_request()
  headers["Idempotency-Key"] = next_key()
  local reward = rewards[math.random(#rewards)]
  return wrk.format("POST", "/v1/members/" .. random_member() .. "/rewards/" .. reward .. "/claims", headers, body)
end
