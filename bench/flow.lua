-- wrk script for the Ashlink / Snappass benchmark: one "operation" is a create, or a whole
-- create -> (receipt) -> confirm -> reveal flow, driven by the server's answers.
--
--   wrk ... -s bench/flow.lua URL -- SYSTEM FLOW SECRET_BYTES LIMIT_PER_THREAD
--
--   SYSTEM  ashlink | snappass
--   FLOW    create     web form create only            (ashlink POST /share, snappass POST /)
--           apicreate  API create only                  (ashlink POST /api/v1/share)
--           web        create, [receipt page], confirm page, reveal, as a browser does it
--           api        API create, API reveal           (snappass: POST / with Accept: JSON, POST /<token>)
--           pass       API create + reveal with a passphrase (ashlink only; Argon2id bound)
--           status     GET /api/v1/status, the cheapest route (also the bare Hummingbird ceiling's one)
--           tip        a small tip, a message and no attachment (POST /tip, multipart; ashlink with an inbox)
--   LIMIT_PER_THREAD  stop the thread after this many completed operations (0 = run for -d)
--   MARKER  with a limit: a path prefix; a thread that reached its limit creates MARKER<tid>, so
--           the driver can end wrk (whose main thread otherwise sleeps for the whole -d) with SIGINT
--
-- wrk's Lua has one state per thread, not per connection, and response() is not told which
-- request it answers. So the flow is driven by content: every answer names the next step
-- (a Location header, a key in a page or in JSON). Each thread keeps a queue of next steps;
-- request() serves the queue first and starts a new flow only when it is empty, so at most
-- one flow per connection is in flight. Snappass's preview page does not name its token: a
-- preview answer releases the oldest token whose preview was sent (previews are fungible).
-- Each secret value carries the thread-local flow number, so the reveal answer closes the
-- right flow and the flow latency is exact (CLOCK_MONOTONIC through LuaJIT's ffi).

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk, bench_timespec *ts);
]]
local ts = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

-- per-thread state ---------------------------------------------------------------------------
system, flow, secret_bytes, limit = "ashlink", "create", 32, 0
ops, started_flows, seq = 0, 0, 0
bad = {}            -- "step:status" -> count
flow_lat = {}       -- microseconds, one per completed operation
reveal_lat = {}     -- microseconds, reveal step only (ashlink API flows, where the answer names the key)
local queue, qhead, qtail = {}, 1, 0
local flow_start = {}      -- seq -> t
local reveal_sent = {}     -- key -> t
local previews = {}        -- snappass tokens whose preview was sent, oldest first
local phead, ptail = 1, 0
local form_ct = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local form_json = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Accept"] = "application/json" }
local passphrase = "correct horse battery staple"
local tip_boundary = "----ashbench-tip-boundary"
local tip_ct = { ["Content-Type"] = "multipart/form-data; boundary=" .. tip_boundary }

function init(args)
  system = args[1] or system
  flow = args[2] or flow
  secret_bytes = tonumber(args[3] or secret_bytes)
  limit = tonumber(args[4] or 0)
  marker = args[5]
end

local function push(item) qtail = qtail + 1; queue[qtail] = item end
local function pop()
  if qhead > qtail then return nil end
  local item = queue[qhead]; queue[qhead] = nil; qhead = qhead + 1
  return item
end
local function note_bad(step, status)
  local k = step .. ":" .. tostring(status)
  bad[k] = (bad[k] or 0) + 1
end
local function finish(t0)
  ops = ops + 1
  if t0 then flow_lat[#flow_lat + 1] = now_us() - t0 end
  if limit > 0 and ops >= limit and not stopped then
    stopped = true
    if marker and marker ~= "" then
      local f = io.open(marker .. tostring(tid), "w")
      if f then f:write(tostring(ops)); f:close() end
    end
    wrk.thread:stop()
  end
end

local function value_for(n)
  local v = "bk" .. n .. "z"
  if #v < secret_bytes then v = v .. string.rep("x", secret_bytes - #v) end
  return v
end

local function new_flow()
  seq = seq + 1
  started_flows = started_flows + 1
  local v = value_for(seq)
  if flow ~= "create" and flow ~= "apicreate" and flow ~= "status" and flow ~= "tip" then flow_start[seq] = now_us() end
  if system == "ashlink" then
    if flow == "status" then
      return wrk.format("GET", "/api/v1/status", nil, nil)
    elseif flow == "tip" then
      return wrk.format("POST", "/tip", tip_ct, "--" .. tip_boundary .. "\r\n" ..
        'Content-Disposition: form-data; name="message"\r\n\r\n' .. v .. "\r\n--" .. tip_boundary .. "--\r\n")
    elseif flow == "create" or flow == "web" then
      return wrk.format("POST", "/share", form_ct, "secret=" .. v .. "&ttl=3600")
    elseif flow == "pass" then
      return wrk.format("POST", "/api/v1/share", form_ct, "secret=" .. v .. "&ttl=3600&passphrase=" .. passphrase:gsub(" ", "+"))
    else -- apicreate, api
      return wrk.format("POST", "/api/v1/share", form_ct, "secret=" .. v .. "&ttl=3600")
    end
  else
    if flow == "api" then
      return wrk.format("POST", "/", form_json, "password=" .. v .. "&ttl=Hour")
    end
    return wrk.format("POST", "/", form_ct, "password=" .. v .. "&ttl=Hour")
  end
end

function request()
  local item = pop()
  if item == nil then return new_flow() end
  local kind, arg = item[1], item[2]
  if kind == "receipt" then
    return wrk.format("GET", arg, nil, nil)
  elseif kind == "confirm" then
    return wrk.format("GET", "/secret/" .. arg, nil, nil)
  elseif kind == "reveal_web" then
    return wrk.format("POST", "/secret/" .. arg, form_ct, "passphrase=")
  elseif kind == "reveal_api" then
    reveal_sent[arg] = now_us()
    local body = ""
    if flow == "pass" then body = "passphrase=" .. passphrase:gsub(" ", "+") end
    return wrk.format("POST", "/api/v1/secret/" .. arg, form_ct, body)
  elseif kind == "preview" then
    ptail = ptail + 1; previews[ptail] = arg
    return wrk.format("GET", "/" .. arg, nil, nil)
  elseif kind == "reveal_snap" then
    return wrk.format("POST", "/" .. arg, form_ct, "")
  end
end

local function closes_flow(body)
  local n = body and tonumber(string.match(body, "bk(%d+)z"))
  if n == nil then return nil end
  local t0 = flow_start[n]; flow_start[n] = nil
  return t0
end

local function ashlink_response(status, headers, body)
  if flow == "create" then
    if status == 303 then finish(nil) else note_bad("create", status) end
    return
  end
  if flow == "apicreate" or flow == "status" or flow == "tip" then
    if status == 200 then finish(nil) else note_bad(flow, status) end
    return
  end
  if flow == "web" then
    local location = headers["Location"] or headers["location"]
    if status == 303 and location then push({ "receipt", location }); return end
    if status == 200 and body and string.find(body, "bk%d+z") then finish(closes_flow(body)); return end
    local key = body and string.match(body, 'action="/secret/([%w]+)"')
    if status == 200 and key then push({ "reveal_web", key }); return end
    key = body and string.match(body, "/secret/([%w]+)")
    if status == 200 and key then push({ "confirm", key }); return end
    note_bad("web", status)
    return
  end
  -- api, pass
  if status == 200 and body then
    local value = string.match(body, '"value"%s*:%s*"')
    local key = string.match(body, '"secret_key"%s*:%s*"([%w]+)"')
    if value then
      if key and reveal_sent[key] then
        reveal_lat[#reveal_lat + 1] = now_us() - reveal_sent[key]; reveal_sent[key] = nil
      end
      finish(closes_flow(body)); return
    end
    if key then push({ "reveal_api", key }); return end
  end
  note_bad("api", status)
end

local function snappass_response(status, headers, body)
  if flow == "create" then
    if status == 200 then finish(nil) else note_bad("create", status) end
    return
  end
  if status == 200 and body then
    if string.find(body, "bk%d+z") then finish(closes_flow(body)); return end
    local token = string.match(body, '"link"%s*:%s*"https?://[^/]+/([^"]+)"')
    if token then push({ "reveal_snap", token }); return end
    token = string.match(body, 'id="password%-link" value="https?://[^/]+/([^"]+)"')
    if token then push({ "preview", token }); return end
  end
  -- a preview answer (200, or 404 if a reveal overtook it): release the oldest previewed token
  if (status == 200 or status == 404) and phead <= ptail then
    local token = previews[phead]; previews[phead] = nil; phead = phead + 1
    if status == 404 then note_bad("preview", status) end
    push({ "reveal_snap", token })
    return
  end
  note_bad("snappass", status)
end

function response(status, headers, body)
  if system == "ashlink" then ashlink_response(status, headers, body)
  else snappass_response(status, headers, body) end
end

-- done: merge the threads' figures and print one JSON line ---------------------------------
local function percentile(sorted, p)
  if #sorted == 0 then return nil end
  local i = math.ceil(p / 100 * #sorted)
  if i < 1 then i = 1 end
  return sorted[i]
end

local function num(x) if x == nil then return "null" end return string.format("%.1f", x) end

function done(summary, latency, requests)
  local all_flow, all_reveal, all_bad, total_ops = {}, {}, {}, 0
  for _, thread in ipairs(threads) do
    total_ops = total_ops + (thread:get("ops") or 0)
    for _, v in ipairs(thread:get("flow_lat") or {}) do all_flow[#all_flow + 1] = v end
    for _, v in ipairs(thread:get("reveal_lat") or {}) do all_reveal[#all_reveal + 1] = v end
    for k, v in pairs(thread:get("bad") or {}) do all_bad[k] = (all_bad[k] or 0) + v end
  end
  table.sort(all_flow); table.sort(all_reveal)
  local bad_parts = {}
  for k, v in pairs(all_bad) do bad_parts[#bad_parts + 1] = string.format('"%s": %d', k, v) end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"ops": %d, "duration_us": %d, "requests": %d, "bytes": %d, ' ..
    '"req_p50_us": %s, "req_p99_us": %s, "req_max_us": %s, ' ..
    '"op_p50_us": %s, "op_p99_us": %s, "op_samples": %d, ' ..
    '"reveal_p50_us": %s, "reveal_p99_us": %s, "reveal_samples": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, "unexpected": {%s}}\n',
    total_ops, summary.duration, summary.requests, summary.bytes,
    num(latency:percentile(50)), num(latency:percentile(99)), num(latency.max),
    num(percentile(all_flow, 50)), num(percentile(all_flow, 99)), #all_flow,
    num(percentile(all_reveal, 50)), num(percentile(all_reveal, 99)), #all_reveal,
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(bad_parts, ", ")))
end
