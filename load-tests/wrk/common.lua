-- Shared helpers for the points-ledger wrk scenarios (earn.lua, redeem.lua, balance.lua,
-- hold_capture.lua).
--
-- Loaded by each scenario with dofile(); the scenario script defines `scenario` and a function
-- `make_request()` that returns the wrk.format(...) string for one request. A scenario may also
-- define `extra_counters`, a list of names of per-thread global counters: done() sums each over
-- the threads and appends NAME=sum and NAME_per_s=sum/duration to the result line.
--
-- Environment (set by load-tests/benchmark.sh):
--   BENCH_MEMBERS_FILE  file with one member id (UUID) per line            (required)
--   BENCH_RUN_ID        prefix that makes Idempotency-Keys unique per run  (default: os.time())
--   BENCH_PHASE         "warmup" or "measure"; part of the keys and of the result line
--   BENCH_CONNECTIONS   connection count, echoed in the result line (wrk does not expose it)
--   BENCH_AUTH_HEADER   optional "Name: value" header added to every request (with_auth())
--
-- Result: done() prints one line that benchmark.sh parses, for example
--   BENCH_RESULT scenario=earn phase=measure connections=32 duration_s=20.01 requests=41234
--     rps=2060.6 p50_ms=14.20 p99_ms=41.90 max_ms=120.00 non2xx=0 statuses=201:41234
--     connect_errors=0 read_errors=0 write_errors=0 timeouts=0
-- (on one line; hold_capture.lua appends holds=... holds_per_s=... captures=... captures_per_s=...
-- and so on). non2xx counts every HTTP response whose status is outside 200..299, counted in
-- response(); socket errors and timeouts are reported separately since they carry no status.

local members_file = os.getenv("BENCH_MEMBERS_FILE")
run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())
phase = os.getenv("BENCH_PHASE") or "measure"
connections = os.getenv("BENCH_CONNECTIONS") or "?"

local auth_header = os.getenv("BENCH_AUTH_HEADER") or ""

-- Adds the BENCH_AUTH_HEADER header, when set, to a scenario's header table.
function with_auth(headers)
  local name, value = auth_header:match("^%s*([^:%s]+)%s*:%s*(.-)%s*$")
  if name then
    headers[name] = value
  elseif auth_header ~= "" then
    error("BENCH_AUTH_HEADER must look like 'Name: value'")
  end
  return headers
end

local function load_members(path)
  if not path or path == "" then
    error("BENCH_MEMBERS_FILE is not set")
  end
  local file, err = io.open(path, "r")
  if not file then
    error("cannot open BENCH_MEMBERS_FILE " .. path .. ": " .. tostring(err))
  end
  local ids = {}
  for line in file:lines() do
    local id = line:match("^%s*([%x%-]+)%s*$")
    if id and #id == 36 then
      ids[#ids + 1] = id
    end
  end
  file:close()
  if #ids == 0 then
    error("no member ids in " .. path)
  end
  return ids
end

-- ---------------------------------------------------------------------------------------------
-- Main Lua state: one setup() call per wrk thread, then done() once at the end.
-- ---------------------------------------------------------------------------------------------
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  threads[#threads + 1] = thread
end

-- ---------------------------------------------------------------------------------------------
-- Thread Lua states: init() once, then request()/response() per request.
-- ---------------------------------------------------------------------------------------------
members = nil
member_count = 0
counter = 0
statuses = {}   -- status code -> count; read by done() through thread:get("statuses")

function init(args)
  members = load_members(members_file)
  member_count = #members
  -- thread_id is set by setup() before init() runs; seed differently per thread and per run.
  math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919 + math.floor((os.clock() * 1e6) % 1e6))
  -- LuaJIT's first few numbers after a seed are poorly distributed; skip them.
  for _ = 1, 10 do math.random() end
end

function random_member()
  return members[math.random(member_count)]
end

-- A key unique across runs (run_id), scenarios, phases, threads and requests; the random suffix
-- makes it unique even if two runs share a run id. Without the scenario, the earn and redeem
-- warm-ups of one run drew keys differing only in that suffix, and one in a million pairs
-- collided (a 422 IDEMPOTENCY_KEY_REUSED, correctly). At most ~70 printable ASCII characters
-- (limit 128).
function next_key()
  counter = counter + 1
  return string.format("bench-%s-%s-%s-t%d-%d-%06d", run_id, scenario or "-", phase, thread_id or 0,
    counter, math.random(0, 999999))
end

function request()
  return make_request()
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  local non2xx = 0
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses") or {}
    for status, count in pairs(counts) do
      merged[status] = (merged[status] or 0) + count
      if status < 200 or status > 299 then
        non2xx = non2xx + count
      end
    end
  end
  local codes = {}
  for status, _ in pairs(merged) do codes[#codes + 1] = status end
  table.sort(codes)
  local parts = {}
  for _, status in ipairs(codes) do parts[#parts + 1] = status .. ":" .. merged[status] end
  local status_text = #parts > 0 and table.concat(parts, ",") or "none"

  local seconds = summary.duration / 1e6
  local rps = seconds > 0 and summary.requests / seconds or 0
  local extra = {}
  for _, name in ipairs(extra_counters or {}) do
    local sum = 0
    for _, thread in ipairs(threads) do
      sum = sum + (tonumber(thread:get(name)) or 0)
    end
    extra[#extra + 1] = string.format(" %s=%d %s_per_s=%.1f", name, sum, name, seconds > 0 and sum / seconds or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT scenario=%s phase=%s connections=%s duration_s=%.2f requests=%d rps=%.1f " ..
    "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d statuses=%s " ..
    "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d%s\n",
    scenario, phase, connections, seconds, summary.requests, rps,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, non2xx, status_text,
    e.connect, e.read, e.write, e.timeout, table.concat(extra)))
end
