-- POST {"janus":"ping"} to the Admin API (no secret needed for ping).
wrk.method = "POST"
wrk.path = "/admin"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"janus":"ping","transaction":"bench"}'
