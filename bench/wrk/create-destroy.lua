-- Alternates create (POST /janus) and destroy (POST /janus/<id>), so every pair of requests
-- makes and removes one session. Afterwards the Admin API's list_sessions should show at most
-- one leftover session per connection (run.sh checks).
local pending = {}      -- ids of created sessions still to destroy (per wrk thread)
local create = wrk.format("POST", "/janus", {["Content-Type"] = "application/json"},
  '{"janus":"create","transaction":"bench"}')

function request()
  local id = table.remove(pending)
  if id then
    return wrk.format("POST", "/janus/" .. id, {["Content-Type"] = "application/json"},
      '{"janus":"destroy","transaction":"bench"}')
  end
  return create
end

function response(status, headers, body)
  local id = body:match('"data":{"id":(%d+)}')
  if id then
    table.insert(pending, id)
  end
end

function done(summary, latency, requests)
  io.write(string.format("create+destroy pairs/s: %.0f\n", summary.requests / 2 / (summary.duration / 1e6)))
end
