// The same janus.js EchoTest call, in the same headless Chromium, against Portunus and against
// Debian's Janus 1.1.2 at the same time, both running in the namespace tests/media-e2e.sh
// makes (issue #16):
//  - handle_info compared key by key (every key path and its JSON type, and the values that
//    mean the same on both servers); the only differences allowed are those listed in
//    handle-info-differences.json, each of which README's "differs from Janus" table names;
//  - one monotonic time base: created <= agent-created <= ice.connected <= current_time;
//  - the jitter in Portunus's receiver reports: Chromium's remote-inbound-rtp.jitter is
//    non-zero for audio and video, and within 2x of what the same browser gets from Janus.
//    On bare loopback both are a fraction of a millisecond of scheduling noise, so
//    tests/media-e2e.sh shapes the namespace's loopback (tc tbf: 1.5 Mbit/s, MTU 1500) that all
//    media of both calls crosses: packets queue behind each other, and both servers measure
//    the same queueing jitter of several milliseconds. (Chromium's own degraded network, the
//    WebRTC-FakeNetworkSendConfig field trial, is not in Debian's Chromium 156: the binary has
//    neither the trial's name nor its keys, and --force-fieldtrials with loss_percent:30 lost
//    nothing.)
//
//   PORTUNUS_HTTP, PORTUNUS_ADMIN  Portunus's Janus API and Admin API URLs
//   JANUS_REAL_HTTP, JANUS_REAL_ADMIN  the real Janus's
//   COMPARE_SECONDS  how long each call runs before handle_info is read (default 14)
//   COMPARE_SHAPED=1  the link is shaped: jitters of over 2 ms, within 2x of each other (else
//     only within 10x, the loopback's noise)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPageServer, launchChromium } from '../lib/media-page.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.COMPARE_SECONDS || 14);
const ADMIN_SECRET = process.env.ADMIN_SECRET || 'janusoverlord';
const SHAPED = process.env.COMPARE_SHAPED === '1';
const SERVERS = {
  portunus: { http: process.env.PORTUNUS_HTTP, admin: process.env.PORTUNUS_ADMIN },
  janus: { http: process.env.JANUS_REAL_HTTP, admin: process.env.JANUS_REAL_ADMIN },
};
const DIFFERENCES = JSON.parse(fs.readFileSync(path.join(here, 'handle-info-differences.json'), 'utf8'));

let server;
let origin;
let browser;

before(async () => {
  ({ server, origin } = await startPageServer());
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (server) { server.closeAllConnections?.(); server.close(); }
});

async function admin(url, body) {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transaction: Math.random().toString(36).slice(2), admin_secret: ADMIN_SECRET, ...body }) });
  return r.json();
}

/** Chromium's view of the server's receiver reports about its two outgoing streams. */
function remoteInbound() {
  return window.echo.state.handle.webrtcStuff.pc.getStats().then(report => {
    const out = {};
    report.forEach(s => {
      // Its timestamp is when the report came (Chromium 156 has no reportsReceived here).
      if (s.type === 'remote-inbound-rtp') out[s.kind] = { jitter: s.jitter, receivedAt: s.timestamp };
    });
    return out;
  });
}

/**
 * One EchoTest call: handle_info after `seconds`, and Chromium's remote-inbound jitter from each
 * receiver report the server sent after the first two seconds (polled four times a second, a
 * reading kept when the stats' timestamp, the report's arrival, moved: each report counts once).
 */
async function call(name, seconds = SECONDS) {
  const { http, admin: adminUrl } = SERVERS[name];
  const page = await browser.newPage();
  try {
    await page.goto(origin + '/');
    await page.waitForFunction(() => window.e2eReady === true);
    const ids = await page.evaluate(([s]) => window.echo.start(s, {}), [http]);
    await page.waitForFunction(() => window.echo.state.webrtcState.includes(true), null, { timeout: 20_000 });
    const jitter = { audio: [], video: [] };
    const lastReport = { audio: 0, video: 0 };
    const started = Date.now();
    while (Date.now() - started < seconds * 1000) {
      await new Promise(r => setTimeout(r, 250));
      const seen = await page.evaluate(remoteInbound);
      for (const kind of ['audio', 'video']) {
        const r = seen[kind];
        if (!r || typeof r.jitter !== 'number' || r.receivedAt === lastReport[kind]) continue;
        lastReport[kind] = r.receivedAt;
        if (Date.now() - started >= 2000) jitter[kind].push(r.jitter);
      }
    }
    const reply = await admin(adminUrl, { janus: 'handle_info', session_id: ids.sessionId, handle_id: ids.handleId });
    assert.equal(reply.janus, 'success', `${name} handle_info: ${JSON.stringify(reply)}`);
    await page.evaluate(() => window.echo.stop());
    return { info: reply.info, jitter };
  } finally {
    await page.close().catch(() => {});
  }
}

/** Every key path of a JSON value with its type; arrays are leaves. */
function flatten(value, prefix = '', out = new Map()) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);
  }
  return out;
}

const allowed = (list, key) => list.some(p => new RegExp(`^${p.path}$`).test(key));

/** Key paths whose values mean the same on both servers for the same browser call. */
const SAME_VALUE = [
  'session_transport', 'loop-running', 'plugin', 'ice-mode', 'ice-role', 'sdps.profile', 'queued-packets',
  'flags.got-offer', 'flags.got-answer', 'flags.negotiated', 'flags.processing-offer', 'flags.ice-restart',
  'flags.ready', 'flags.stopped', 'flags.trickle', 'flags.all-trickles', 'flags.data-channels', 'flags.e2ee',
  'webrtc.ice.stream_id', 'webrtc.ice.component_id', 'webrtc.ice.state', 'webrtc.ice.ready',
  'webrtc.dtls.dtls-role', 'webrtc.dtls.dtls-state', 'webrtc.dtls.valid', 'webrtc.dtls.srtp-profile', 'webrtc.dtls.ready',
  'webrtc.dtls.remote-fingerprint-hash', 'webrtc.bwe.twcc', 'webrtc.bwe.twcc-ext-id',
  /^webrtc\.extensions\./, /^webrtc\.media\.\d+\.(type|mindex|mid|do_nacks)$/,
  /^webrtc\.media\.\d+\.direction\./, /^webrtc\.media\.\d+\.codecs\.(pt|rtx-pt|codec)$/, /^webrtc\.media\.\d+\.rtcp\.main\.base$/,
];

const get = (obj, key) => key.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);

function checkTimeBase(name, info) {
  const times = [['created', info.created], ['agent-created', info['agent-created']],
    ['webrtc.ice.connected', info.webrtc?.ice?.connected], ['current_time', info.current_time]];
  console.log(`[compare] ${name} times`, JSON.stringify(Object.fromEntries(times)),
    'gathered', info.webrtc?.ice?.gathered, 'agent-started', info['agent-started'],
    'dtls', info.webrtc?.dtls?.['handshake-started'], info.webrtc?.dtls?.connected);
  for (let i = 1; i < times.length; i++) {
    assert.ok(Number.isInteger(times[i][1]), `${name}: ${times[i][0]} is an integer`);
    assert.ok(times[i - 1][1] <= times[i][1], `${name}: ${times[i - 1][0]} ${times[i - 1][1]} <= ${times[i][0]} ${times[i][1]}`);
  }
  const ice = info.webrtc.ice;
  assert.ok(info['agent-created'] <= ice.gathered && ice.gathered <= ice.connected, `${name}: agent-created <= gathered <= connected`);
  assert.ok(info['agent-started'] <= ice.connected, `${name}: agent-started <= ice.connected`);
  assert.ok(info.webrtc.dtls['handshake-started'] <= info.webrtc.dtls.connected
    && info.webrtc.dtls.connected <= info.current_time, `${name}: DTLS times on the same clock`);
  assert.ok(info.session_last_activity <= info.current_time, `${name}: session_last_activity <= current_time`);
}

test('handle_info of one EchoTest call: Portunus against Janus 1.1.2, key by key', { timeout: (2 * SECONDS + 120) * 1000 }, async () => {
  assert.ok(SERVERS.portunus.http && SERVERS.janus.http, 'PORTUNUS_HTTP and JANUS_REAL_HTTP are set');
  // A short call first warms Portunus's JIT up (a fresh JVM runs the packet path interpreted
  // at first, which shows as jitter and, on a busy machine, as loss); Janus needs none.
  // Then both calls at once, so a busy machine's load falls on both servers alike.
  await call('portunus', 3);
  const [janus, portunus] = await Promise.all([call('janus'), call('portunus')]);

  // Every documented difference is in README's "differs from Janus" table.
  const readme = fs.readFileSync(path.join(here, '..', '..', 'README.md'), 'utf8');
  for (const d of [...DIFFERENCES.onlyPortunus, ...DIFFERENCES.onlyJanus, ...DIFFERENCES.value]) {
    assert.ok(readme.includes(d.readme), `README documents ${d.path} (looked for "${d.readme}")`);
  }

  const ours = flatten(portunus.info);
  const theirs = flatten(janus.info);
  const problems = [];
  for (const [key, type] of theirs) {
    if (!ours.has(key)) {
      if (!allowed(DIFFERENCES.onlyJanus, key)) problems.push(`missing in Portunus: ${key} (${type})`);
    } else if (ours.get(key) !== type) {
      problems.push(`type of ${key}: Portunus ${ours.get(key)}, Janus ${type}`);
    }
  }
  for (const [key, type] of ours) {
    if (!theirs.has(key) && !allowed(DIFFERENCES.onlyPortunus, key)) problems.push(`only in Portunus: ${key} (${type})`);
  }
  for (const [key] of theirs) {
    const same = SAME_VALUE.some(p => (p instanceof RegExp ? p.test(key) : p === key));
    if (!same || !ours.has(key) || allowed(DIFFERENCES.value, key)) continue;
    const a = get(portunus.info, key);
    const b = get(janus.info, key);
    if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`value of ${key}: Portunus ${JSON.stringify(a)}, Janus ${JSON.stringify(b)}`);
  }
  console.log(`[compare] ${theirs.size} Janus keys, ${ours.size} Portunus keys`);
  for (const [name, r] of Object.entries({ janus, portunus })) {
    console.log(`[compare] ${name} stats`, JSON.stringify(Object.values(r.info.webrtc.media).map(m => [m.type, m.stats])),
      'errors', JSON.stringify(r.info.webrtc['portunus-errors'] || null));
  }
  console.log('[compare] Portunus media.0.rtcp', JSON.stringify(portunus.info.webrtc.media['0'].rtcp),
    'Janus', JSON.stringify(janus.info.webrtc.media['0'].rtcp));
  console.log('[compare] Portunus media.1.rtcp', JSON.stringify(portunus.info.webrtc.media['1'].rtcp),
    'Janus', JSON.stringify(janus.info.webrtc.media['1'].rtcp));
  assert.deepEqual(problems, [], 'handle_info differs from Janus only where documented');

  // The figures that are measured on the call are there and plausible.
  for (const [mid, m] of Object.entries(portunus.info.webrtc.media)) {
    assert.ok(m.stats.in.bytes_lastsec > 0 && m.stats.out.bytes_lastsec > 0, `media ${mid}: bytes in the last second`);
    assert.ok(m.rtcp.main['in-link-quality'] > 50, `media ${mid}: in-link-quality ${m.rtcp.main['in-link-quality']} on a link without loss`);
  }
  // msid as each call's offer declared it (the browser makes new ids per call).
  for (const [name, r] of Object.entries({ janus, portunus })) {
    for (const [mid, m] of Object.entries(r.info.webrtc.media)) {
      assert.ok(r.info.sdps.remote.includes(`a=msid:${m.msid['remote-stream']} ${m.msid['remote-track']}\r\n`),
        `${name} media ${mid}: msid ${JSON.stringify(m.msid)} is the offer's`);
    }
  }
  for (const [name, r] of Object.entries({ janus, portunus })) checkTimeBase(name, r.info);

  // Chromium's remote-inbound-rtp.jitter (seconds) from each server's receiver reports.
  // The median of the readings: the estimate moves report to report (RFC 3550's 1/16 gain
  // follows the last few dozen packets), and a busy machine's hiccup moves a mean.
  const median = a => { const b = [...a].sort((x, y) => x - y); return b.length ? (b[(b.length - 1) >> 1] + b[b.length >> 1]) / 2 : 0; };
  for (const kind of ['audio', 'video']) {
    const p = median(portunus.jitter[kind]);
    const j = median(janus.jitter[kind]);
    console.log(`[compare] ${kind} remote-inbound-rtp.jitter (ms): Portunus ${(p * 1000).toFixed(3)}`
      + ` [${portunus.jitter[kind].map(v => (v * 1000).toFixed(2)).join(' ')}], Janus ${(j * 1000).toFixed(3)}`
      + ` [${janus.jitter[kind].map(v => (v * 1000).toFixed(2)).join(' ')}]`);
    assert.ok(portunus.jitter[kind].length >= 5 && portunus.jitter[kind].every(v => v > 0),
      `${kind}: Chromium reads a non-zero jitter from every Portunus receiver report (${portunus.jitter[kind].length} reports)`);
    assert.ok(janus.jitter[kind].length >= 5, `${kind}: Janus sent receiver reports (${janus.jitter[kind].length})`);
    console.log(`[compare] ${kind} jitter ratio Portunus/Janus ${(p / j).toFixed(2)}`
      + ` (${p <= 2 * j && j <= 2 * p ? 'within' : 'outside'} 2x)`);
    if (SHAPED) {
      // The queueing on the shaped link is what both servers measure: bare loopback gives 0.2-1 ms.
      assert.ok(p > 0.002 && j > 0.002, `${kind}: both jitters (Portunus ${p}, Janus ${j} s) above 2 ms: the link's queueing is measured`);
      assert.ok(p <= 2 * j && j <= 2 * p, `${kind}: Portunus's jitter ${p} within 2x of Janus's ${j}`);
    } else {
      // Loopback only: both are scheduling noise, and only a wrong clock rate or unit (off by
      // 48, 90 or 1000) would fall outside 10x.
      assert.ok(p <= 10 * j && j <= 10 * p, `${kind}: Portunus's jitter ${p} within 10x of Janus's ${j}`);
    }
  }
});
