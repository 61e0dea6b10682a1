-- POST handle_info for one live handle to the Admin API: SESSION_ID and HANDLE_ID from the
-- environment; ADMIN_SECRET (default janusoverlord).
wrk.method = "POST"
wrk.path = "/admin/" .. os.getenv("SESSION_ID") .. "/" .. os.getenv("HANDLE_ID")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"janus":"handle_info","transaction":"bench","admin_secret":"' .. (os.getenv("ADMIN_SECRET") or "janusoverlord") .. '"}'

function done(summary, latency, requests)
  io.write(string.format("bytes per reply: %.0f\n", summary.bytes / math.max(summary.requests, 1)))
end
