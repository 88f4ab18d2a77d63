-- wrk script for key-based token requests: each request uses the next line of BENCH_LINES once (a client
-- assertion form body, or a DPoP proof when BENCH_MODE=dpop), so no jti is ever replayed; lines are dealt out
-- to the threads in turn. Counting and the RESULT line are the shared harness's lib/post.lua.
dofile(os.getenv("BENCH_DIR") .. "/lib/post.lua")
local base_setup, base_init = setup, init
local dealt = 0

function setup(thread)
  dealt = dealt + 1
  thread:set("id", dealt)
  base_setup(thread)
end

function init(args)
  base_init(args)
  local file, nthreads = os.getenv("BENCH_LINES"), tonumber(os.getenv("BENCH_THREADS") or "2")
  lines, count, nextline, i = {}, 0, 0, 0
  for line in io.lines(file) do
    if i % nthreads == id - 1 then count = count + 1; lines[count] = line end
    i = i + 1
  end
end

function request()
  nextline = nextline + 1
  if nextline > count then nextline = 1 end -- out of lines: replays, which the server refuses and the result counts
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Accept"] = "application/json" }
  if os.getenv("BENCH_MODE") == "dpop" then
    headers["Authorization"] = os.getenv("BENCH_AUTH")
    headers["DPoP"] = lines[nextline]
    return wrk.format("POST", nil, headers, "grant_type=client_credentials")
  end
  return wrk.format("POST", nil, headers, lines[nextline])
end
