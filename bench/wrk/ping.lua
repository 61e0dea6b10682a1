-- POST {"janus":"ping"} to /janus over keep-alive connections.
wrk.method = "POST"
wrk.path = "/janus"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"janus":"ping","transaction":"bench"}'
