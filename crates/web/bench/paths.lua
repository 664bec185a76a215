-- wrk script for the web benchmark (BENCHMARKS.md): each request takes the next path of the
-- file named by the PATHS environment variable (one path a line), round robin, so the load
-- spreads over many stories or searches instead of one cached page.
--   PATHS=story-paths.txt wrk -t2 -c16 -d30s --latency -s paths.lua http://127.0.0.1:8080
local paths = {}
local n = 0

function init(args)
  local f = assert(io.open(os.getenv("PATHS"), "r"))
  for line in f:lines() do
    if #line > 0 then
      table.insert(paths, line)
    end
  end
  f:close()
  -- Each thread starts at a different place in the list.
  n = math.random(#paths)
end

function request()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx or socket errors: %d non-200, %d connect, %d read, %d write, %d timeout\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout))
end
