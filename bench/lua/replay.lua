-- wrk script template used by bench/run.mjs. The runner copies it to a temp directory and replaces the
-- two placeholders below with Lua literals: the body and the headers of ONE pre-signed request (SigV4,
-- valid for 15 minutes), which wrk then replays on every connection. No `request` function is defined,
-- so wrk formats the request once and sends the same bytes each time (the server still verifies the
-- signature in full on every request).
--
-- Every response whose status is not 200 is counted in the `response` hook and reported by `done` on a
-- single line starting with "BENCH_JSON " (status breakdown + first error body + exact percentiles), so a
-- run that measured errors is reported as failed instead of as a fast result.

wrk.method = "POST"
wrk.path = "/"
wrk.body = __BODY__
wrk.headers = __HEADERS__

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  responses = 0
  non200 = 0
  statuses = {}
  sample = ""
end

function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 then
    non200 = non200 + 1
    local k = tostring(status)
    statuses[k] = (statuses[k] or 0) + 1
    if sample == "" and body ~= nil then sample = string.sub(body, 1, 300) end
  end
end

local function jstr(s)
  return '"' .. string.gsub(s, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

function done(summary, latency, requests)
  local total, bad, sampleBody = 0, 0, ""
  local merged = {}
  for _, t in ipairs(threads) do
    total = total + (t:get("responses") or 0)
    bad = bad + (t:get("non200") or 0)
    local st = t:get("statuses") or {}
    for k, v in pairs(st) do merged[k] = (merged[k] or 0) + v end
    local s = t:get("sample") or ""
    if sampleBody == "" then sampleBody = s end
  end
  local parts = {}
  for k, v in pairs(merged) do table.insert(parts, jstr(k) .. ":" .. v) end
  local e = summary.errors
  io.write("BENCH_JSON {",
    '"responses":', total, ',',
    '"non200":', bad, ',',
    '"statuses":{', table.concat(parts, ","), '},',
    '"sample":', jstr(sampleBody), ',',
    '"requests":', summary.requests, ',',
    '"durationUs":', summary.duration, ',',
    '"socketErrors":{"connect":', e.connect, ',"read":', e.read, ',"write":', e.write,
      ',"status":', e.status, ',"timeout":', e.timeout, '},',
    '"latencyUs":{"mean":', string.format("%.1f", latency.mean), ',"stdev":', string.format("%.1f", latency.stdev),
      ',"min":', latency.min, ',"max":', latency.max,
      ',"p50":', latency:percentile(50), ',"p90":', latency:percentile(90),
      ',"p99":', latency:percentile(99), ',"p999":', latency:percentile(99.9), '}',
    "}\n")
end
