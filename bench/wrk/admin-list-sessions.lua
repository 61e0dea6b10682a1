-- POST list_sessions to the Admin API; ADMIN_SECRET from the environment (default janusoverlord).
wrk.method = "POST"
wrk.path = "/admin"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"janus":"list_sessions","transaction":"bench","admin_secret":"' .. (os.getenv("ADMIN_SECRET") or "janusoverlord") .. '"}'

function done(summary, latency, requests)
  io.write(string.format("bytes per reply: %.0f\n", summary.bytes / math.max(summary.requests, 1)))
end
