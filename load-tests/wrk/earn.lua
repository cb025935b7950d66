-- wrk scenario "earn": POST /v1/members/{random member}/earn with a unique Idempotency-Key per
-- request; a purchase of 1000 minor units (USD 10.00) at the POS with two line items.
-- Needs BENCH_MEMBERS_FILE and BENCH_WRK_DIR (the folder of this script); see common.lua.
dofile((os.getenv("BENCH_WRK_DIR") or "load-tests/wrk") .. "/common.lua")

scenario = "earn"

local headers = with_auth({ ["Content-Type"] = "application/json", ["Accept"] = "application/json" })
local body_format = '{"orderId":"%s","amount":{"value":1000,"currency":"USD"},"channel":"POS",'
  .. '"items":[{"sku":"SKU-1","quantity":1,"unitPrice":500},{"sku":"SKU-1","quantity":1,"unitPrice":500}]}'

function make_request()
  local key = next_key()
  headers["Idempotency-Key"] = key
  return wrk.format("POST", "/v1/members/" .. random_member() .. "/earn", headers,
    string.format(body_format, "o-" .. key:sub(1, 60)))
end
