#!/usr/bin/env bash
# Writes a configuration folder for the real Janus 1.1.2 (Debian package) for the load
# benchmark: a copy of /etc/janus with only the EchoTest plugin (KEEP_PLUGIN=videoroom: only the
# VideoRoom, with Debian's sample room configuration) and the HTTP transport
# (WebSockets kept, like Portunus's defaults), no event handlers, no loggers,
# nat.ice_enforce_list and media.rtp_port_range set, HTTP on IP:8088 (inside a namespace), the
# Admin API over HTTP on 127.0.0.1:7088.
# EVENTS_URL=http://...: the sample HTTP event handler on instead (all events, grouped, compact,
# to that URL) with broadcast on and stats_period 1, as Portunus's --events run.
#   bench/load/janus-conf.sh DIR IP [PORT_RANGE]
set -euo pipefail
dir="$1"; ip="$2"; range="${3:-20000-29999}"
mkdir -p "$dir"
cp /etc/janus/*.jcfg "$dir/"
python3 - "$dir" "$ip" "$range" "${EVENTS_URL:-}" "${KEEP_PLUGIN:-echotest}" <<'PY'
import re, sys
d, ip, rng, events, keep = sys.argv[1:]
p = d + "/janus.jcfg"
s = open(p).read()
def setsect(s, name, body):
    m = re.search(r'^' + name + r': \{\n(.*?)^\}', s, re.S | re.M)
    return s[:m.start()] + name + ': {\n' + body + '\n}' + s[m.end():]
def addto(s, name, line):
    m = re.search(r'^' + name + r': \{\n', s, re.M)
    return s[:m.end()] + '\t' + line + '\n' + s[m.end():]
s = s.replace('configs_folder = "/etc/janus"', 'configs_folder = "%s"' % d)
plugins = [x for x in ["audiobridge", "duktape", "echotest", "lua", "nosip", "recordplay", "sip", "streaming",
           "textroom", "videocall", "videoroom", "voicemail"] if x != keep]
s = setsect(s, 'plugins', '\tdisable = "%s"' % ",".join("libjanus_%s.so" % x for x in plugins))
s = setsect(s, 'transports', '\tdisable = "libjanus_pfunix.so,libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_rabbitmq.so"')
s = setsect(s, 'loggers', '\tdisable = "libjanus_jsonlog.so"')
if events:
    s = setsect(s, 'events', '\tbroadcast = true\n\tstats_period = 1\n\tdisable = "libjanus_gelfevh.so,libjanus_mqttevh.so,libjanus_nanomsgevh.so,libjanus_rabbitmqevh.so,libjanus_wsevh.so"')
    e = d + "/janus.eventhandler.sampleevh.jcfg"
    t = open(e).read()
    t = t.replace('enabled = false', 'enabled = true').replace('json = "indented"', 'json = "compact"')
    t = t.replace('"http://your.webserver.here/and/a/path"', '"%s"' % events)
    open(e, 'w').write(t)
else:
    s = setsect(s, 'events', '\tbroadcast = false\n\tdisable = "libjanus_gelfevh.so,libjanus_mqttevh.so,libjanus_nanomsgevh.so,libjanus_rabbitmqevh.so,libjanus_sampleevh.so,libjanus_wsevh.so"')
s = addto(s, 'media', 'rtp_port_range = "%s"' % rng)
s = addto(s, 'nat', 'ice_enforce_list = "%s"' % ip)
open(p, 'w').write(s)
h = d + "/janus.transport.http.jcfg"
t = open(h).read()
t = re.sub(r'(?m)^(\s*)#ip = "192.168.0.1"', r'\1ip = "%s"' % ip, t)
# The Admin API on 127.0.0.1:7088, as Portunus's default, for the admin ping under load.
t = re.sub(r'(?m)^(\s*)admin_http = false', r'\1admin_http = true', t)
t = re.sub(r'(?m)^(\s*)#admin_ip = "192.168.0.1"', r'\1admin_ip = "127.0.0.1"', t)
open(h, 'w').write(t)
PY
