-- POST {"janus":"info"} to /janus: the largest fixed reply (~1.5 KB of JSON).
wrk.method = "POST"
wrk.path = "/janus"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"janus":"info","transaction":"bench"}'
