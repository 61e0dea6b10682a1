// The EchoTest with real media: janus.js in headless Chromium (fake camera and microphone)
// against a server reachable from the browser over a veth pair inside a network namespace.
// Run by tests/media-e2e.sh, which creates the namespace and starts the server in it.
//
//   JANUS_HTTP  signalling URL (default http://127.0.0.1:8088/janus)
//   MEDIA_SECONDS  how long the call lasts (default 20)
//   ADMIN_URL, ADMIN_SECRET  for handle_info during the call (optional)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startPageServer, launchChromium } from '../lib/media-page.mjs';
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import crypto from 'node:crypto';
import { schemaProblems, invalidEvents } from '../lib/schemas.mjs';
import { startEventReceiver } from '../lib/event-receiver.mjs';

const JANUS = process.env.JANUS_HTTP || 'http://127.0.0.1:8088/janus';
const SECONDS = Number(process.env.MEDIA_SECONDS || 20);
const ADMIN_URL = process.env.ADMIN_URL;
const ADMIN_SECRET = process.env.ADMIN_SECRET || 'janusoverlord';
// Random loss on the media ports, both ways, with nftables inside the test's namespace (this
// kernel has no netem): "numgen random mod 100 < N drop".
const LOSS = Number(process.env.LOSS_PERCENT || 0);
const MEDIA_PORTS = process.env.MEDIA_PORTS || '20000-20100';

function nft(...args) {
  execFileSync('nft', args, { stdio: 'pipe' });
}

function startLoss() {
  nft('add', 'table', 'inet', 'portunus_loss');
  nft('add', 'chain', 'inet', 'portunus_loss', 'input', '{ type filter hook input priority 0; }');
  for (const dir of ['dport', 'sport']) {
    nft('add', 'rule', 'inet', 'portunus_loss', 'input', 'udp', dir, MEDIA_PORTS, 'numgen', 'random', 'mod', '100', '<', String(LOSS), 'counter', 'drop');
  }
}

/**
 * Throws FUZZ random, truncated and mutated datagrams at the server's media socket, shaped to
 * hit each demultiplexer branch: STUN (first byte 0-3), DTLS (20-63), RTP/RTCP (128-191).
 */
async function fuzzSocket(address, port, count) {
  const socket = dgram.createSocket('udp4');
  const firstBytes = [[0, 3], [20, 63], [128, 191]];
  for (let i = 0; i < count; i++) {
    const len = 1 + crypto.randomInt(1200);
    const b = crypto.randomBytes(len);
    const [lo, hi] = firstBytes[i % 3];
    b[0] = lo + crypto.randomInt(hi - lo + 1);
    if (i % 3 === 0 && len >= 8) b.writeUInt32BE(0x2112A442, 4); // a STUN magic cookie now and then
    if (i % 3 === 2 && len >= 2 && i % 2) b[1] = 200 + crypto.randomInt(7); // RTCP packet types
    await new Promise(r => socket.send(b, port, address, r));
    if (i % 200 === 0) await new Promise(r => setTimeout(r, 5)); // do not starve the real call
  }
  socket.close();
}

/**
 * set_no_media_timer 1, then nothing reaches the server for 3 s: janus.js hears
 * "media receiving false", and "receiving true" again once packets flow.
 */
async function checkNoMediaTimer(page) {
  await admin({ janus: 'set_no_media_timer', no_media_timer: 1 });
  const start = Date.now();
  nft('add', 'table', 'inet', 'portunus_block');
  nft('add', 'chain', 'inet', 'portunus_block', 'input', '{ type filter hook input priority 0; }');
  nft('add', 'rule', 'inet', 'portunus_block', 'input', 'udp', 'dport', MEDIA_PORTS, 'drop');
  try {
    await page.waitForFunction(t => window.echo.state.mediaState.some(m => !m.on && m.at >= t), start, { timeout: 8_000 });
  } finally {
    nft('delete', 'table', 'inet', 'portunus_block');
  }
  const unblocked = Date.now();
  await page.waitForFunction(t => window.echo.state.mediaState.some(m => m.on && m.at >= t), unblocked, { timeout: 8_000 });
  const states = await page.evaluate(() => window.echo.state.mediaState);
  console.log('[media] no-media timer: media states', JSON.stringify(states.filter(m => m.at >= start)));
}

function stopLoss() {
  try { nft('delete', 'table', 'inet', 'portunus_loss'); } catch { /* not there */ }
}


let server;
let origin;
let browser;
// With EVENTS_PORT, a receiver for the sample HTTP event handler (grouped JSON arrays).
const EVENTS_PORT = Number(process.env.EVENTS_PORT || 0);
let received = [];
let eventsServer;

before(async () => {
  if (EVENTS_PORT) {
    eventsServer = await startEventReceiver(EVENTS_PORT);
    received = eventsServer.received;
  }
  ({ server, origin } = await startPageServer());
  browser = await launchChromium();
});

after(async () => {
  if (eventsServer) eventsServer.close();
  if (browser) await browser.close().catch(() => {});
  if (server) { server.closeAllConnections?.(); server.close(); }
});

/**
 * The event handler saw this PeerConnection's life in order: ICE gathering → connecting →
 * connected → ready, local and remote candidates, the selected pair, DTLS trying → connected,
 * webrtcup, media receiving, stats every stats_period, and the hangup at the end.
 */
async function checkEventStream(handleId) {
  const deadline = Date.now() + 15_000;
  const mine = () => received.filter(e => e.handle_id === handleId);
  while (!mine().some(e => e.type === 16 && e.event && e.event.connection === 'hangup') && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 200));
  }
  const events = mine();
  // Every event of the run (all handles, core, transports) validates against docs/schema.
  const invalid = invalidEvents(received);
  console.log('[media] events received:', received.length, 'not matching docs/schema:', invalid.length);
  assert.deepEqual(invalid.slice(0, 3).map(r => ({ type: r.event.type, subtype: r.event.subtype, event: r.event.event,
    problems: r.problems.filter(p => !p.includes('additional properties') && !p.includes('constant')).slice(0, 5) })), [],
    'events match the JSON Schemas');
  const webrtc = events.filter(e => e.type === 16).map(e => e.event);
  const ice = webrtc.filter(e => e.ice).map(e => e.ice);
  console.log('[media] events for the handle:', events.length, 'ICE states:', ice.join(' -> '));
  const order = ['gathering', 'connecting', 'connected', 'ready'];
  let at = -1;
  for (const state of order) {
    const i = ice.indexOf(state, at + 1);
    assert.ok(i > at, `ICE state ${state} after the previous ones (${ice.join(',')})`);
    at = i;
  }
  const idx = pred => events.findIndex(pred);
  const firstLocal = idx(e => e.type === 16 && e.subtype === 2);
  const firstRemote = idx(e => e.type === 16 && e.subtype === 3);
  const pair = idx(e => e.type === 16 && e.subtype === 4);
  const trying = idx(e => e.type === 16 && e.event.dtls === 'trying');
  const dtlsUp = idx(e => e.type === 16 && e.event.dtls === 'connected');
  const up = idx(e => e.type === 16 && e.event.connection === 'webrtcup');
  const media = idx(e => e.type === 32 && e.subtype === 1 && e.event.receiving === true);
  const stats = events.filter(e => e.type === 32 && e.subtype === 3);
  const hangup = idx(e => e.type === 16 && e.event.connection === 'hangup');
  for (const [name, i] of Object.entries({ firstLocal, firstRemote, pair, trying, dtlsUp, up, media, hangup })) {
    assert.ok(i >= 0, `event ${name} received`);
  }
  assert.ok(pair < dtlsUp && trying < dtlsUp && dtlsUp < up && up < hangup && media < hangup, 'events in order');
  assert.ok(stats.length >= SECONDS - 4, `a stats event per second per medium (${stats.length})`);
  assert.ok(events.some(e => e.type === 8 && e.event.owner === 'remote'), 'remote JSEP event');
  assert.ok(events.some(e => e.type === 8 && e.event.owner === 'local'), 'local JSEP event');
  assert.ok(stats.some(e => e.event.media === 'video' && e.event['packets-received'] > 0), 'video stats count packets');
  assert.ok(stats.every(e => Number.isInteger(e.event.rtt) && e.event.rtt >= 0 && e.event.rtt < 1000),
    'stats events carry a plausible rtt');
  // Once the RTT is above 0 the events say what it came from: our SR's time echoed by Chrome
  // (lsr), how long Chrome held it (dlsr) and when its report arrived (ntp), in 1/65536 s.
  const measured = stats.filter(e => e.event['rtt-values']);
  console.log('[media] stats events with rtt-values:', measured.length, 'of', stats.length,
    JSON.stringify(measured.slice(0, 2).map(e => [e.event.media, e.event.rtt, e.event['rtt-values']])));
  assert.ok(measured.length > 0, 'the round trip was measured from Chrome\'s report blocks');
  for (const e of measured) {
    const v = e.event['rtt-values'];
    const units = (v.ntp - v.lsr - v.dlsr + 2 ** 32) % 2 ** 32;
    assert.ok(v.lsr > 0 && Math.abs(e.event.rtt - units * 1000 / 65536) <= 1, `rtt ${e.event.rtt} ms = ntp - lsr - dlsr`);
  }
}

/**
 * Transport-wide congestion control and RTT (issue "WebRTC media core"): the answer negotiated
 * transport-cc, Portunus sent transport feedback all through the call (handle_info
 * webrtc.bwe.twcc-feedback-sent grows), Chrome's send-side estimator, fed by it, reports an
 * available outgoing bitrate that stays well above zero instead of decaying, and handle_info
 * shows a plausible round trip measured from Chrome's report blocks.
 */
function checkCongestionControlAndRtt(info, early, samples) {
  const bwe = info.webrtc.bwe;
  console.log('[media] handle_info.webrtc.bwe', JSON.stringify(bwe), 'early', JSON.stringify(early.webrtc.bwe));
  const rates = samples.slice(2).map(s => s.pair && s.pair.availableOutgoingBitrate);
  console.log('[media] Chrome availableOutgoingBitrate (kbps):', rates.map(r => Math.round(r / 1000)).join(' '));
  assert.equal(bwe.twcc, true, 'transport-cc negotiated');
  assert.ok(bwe['twcc-ext-id'] > 0, 'with an extension id');
  const sent = bwe['twcc-feedback-sent'] - early.webrtc.bwe['twcc-feedback-sent'];
  assert.ok(sent >= (SECONDS - 3) * 3, `transport feedback kept being sent (${sent} in ~${SECONDS - 2} s)`);
  assert.ok(bwe['twcc-feedback-received'] > 0, `Chrome's transport feedback about the echo was parsed (${bwe['twcc-feedback-received']})`);
  assert.equal(bwe['twcc-feedback-malformed'], undefined, 'none of Chrome\'s feedback failed to parse');
  // Without feedback (twcc_period longer than the call) Chrome's estimate starts near 300 kbps
  // and decays by a fifth every second (260 208 166 133 106 85); with it, it holds or climbs.
  assert.ok(rates.every(r => typeof r === 'number' && r > 200_000), 'the browser\'s send-side estimate stays well above zero');
  if (LOSS === 0) {
    // Under random loss Chrome's loss-based controller lowers its estimate too (seen: 6868 ->
    // 3038 kbps at 5 %), so the trend is only asserted on a clean link; the floor above still
    // tells feedback from none there (without it the estimate is under 100 kbps within 6 s).
    // Over the last five samples, not from the first: a dip and a climb back (seen on the 2-core
    // CI machine: 3510, 515, 550, ... 867 kbps) is the estimator at work, where without feedback it
    // falls every second to the end.
    const tail = rates.slice(-5);
    assert.ok(tail[tail.length - 1] >= tail[0], `and does not decay, as it does without feedback (last five: ${tail})`);
  }
  for (const medium of Object.values(info.webrtc.media)) {
    const rtt = medium.rtcp && medium.rtcp.main && medium.rtcp.main.rtt;
    console.log(`[media] handle_info ${medium.type} rtcp.main`, JSON.stringify(medium.rtcp));
    assert.ok(Number.isInteger(rtt) && rtt >= 0 && rtt < 1000, `${medium.type} rtt ${rtt} ms is plausible`);
  }
}

async function admin(body) {
  const r = await fetch(ADMIN_URL, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transaction: Math.random().toString(36).slice(2), admin_secret: ADMIN_SECRET, ...body }) });
  return r.json();
}

// ---- Packet capture from the Admin API (issue #6): only when CAPTURE_DIR is set ------------
// CAPTURE_DIR is the server's captures_folder. A second into the call: refused paths and
// double starts (the call goes on), start_pcap for 3 s, then start_text2pcap for 3 s. After
// the call tshark (and text2pcap for the text dump) must find RTP in both directions with the
// SSRCs and payload types handle_info shows, about as many packets as its counters moved
// while capturing, and RTCP.
const CAPTURE_DIR = process.env.CAPTURE_DIR;
const capture = { infos: {}, files: {} };

async function captureStep(i, ids) {
  const at = { session_id: ids.sessionId, handle_id: ids.handleId };
  const info = async () => (await admin({ janus: 'handle_info', ...at })).info;
  const expectError = async (body, code, reasonStart) => {
    const r = await admin({ ...body, ...at });
    assert.equal(r.janus, 'error', `${JSON.stringify(body)} refused`);
    assert.equal(r.session_id, ids.sessionId, 'errors carry session_id');
    assert.equal(r.error.code, code);
    assert.ok(r.error.reason.startsWith(reasonStart), `reason "${r.error.reason}" starts with "${reasonStart}"`);
  };
  const expectSuccess = async (body) => {
    const r = await admin({ ...body, ...at });
    assert.equal(r.janus, 'success', JSON.stringify(r));
    assert.equal(r.session_id, undefined, 'capture successes carry no session_id (as Janus)');
  };
  const stamp = Date.now();
  if (i === 1) {
    await expectError({ janus: 'start_pcap', folder: '../escape', filename: 'x.pcap' }, 490, 'Error starting pcap dump');
    await expectError({ janus: 'start_pcap', folder: '/etc', filename: 'x.pcap' }, 490, 'Error starting pcap dump');
    await expectError({ janus: 'stop_pcap' }, 490, 'Capture not started');
    capture.infos.pcapBefore = await info();
    await expectSuccess({ janus: 'start_pcap', folder: 'e2e', filename: `echotest-${stamp}.pcap` });
    await expectError({ janus: 'start_pcap', folder: 'e2e', filename: `again-${stamp}.pcap` }, 490, 'pcap already started');
    await expectError({ janus: 'start_text2pcap', folder: 'e2e' }, 490, 'text2pcap already started');
    const running = await info();
    assert.equal(running['dump-to-pcap'], true);
    capture.files.pcap = running['pcap-file'];
  } else if (i === 4) {
    await expectSuccess({ janus: 'stop_pcap' });
    capture.infos.pcapAfter = await info();
    assert.equal(capture.infos.pcapAfter['dump-to-pcap'], undefined);
  } else if (i === 5) {
    capture.infos.textBefore = await info();
    await expectSuccess({ janus: 'start_text2pcap', folder: 'e2e', filename: `echotest-${stamp}.txt` });
    const running = await info();
    assert.equal(running['dump-to-text2pcap'], true);
    capture.files.text = running['text2pcap-file'];
  } else if (i === 8) {
    await expectSuccess({ janus: 'stop_pcap' }); // either stop verb stops whichever capture runs
    capture.infos.textAfter = await info();
  }
}

/** tshark's view of a capture: per direction, RTP packets per SSRC (with their PTs), RTCP packets. */
function tsharkStreams(file) {
  const out = execFileSync('tshark', ['-n', '-r', file, '--enable-heuristic', 'rtp_udp', '--enable-heuristic', 'rtcp_udp',
    '-T', 'fields', '-E', 'separator=;', '-e', 'udp.srcport', '-e', 'rtp.ssrc', '-e', 'rtp.p_type', '-e', 'rtcp.pt'],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 << 20 });
  const dirs = { in: { rtp: new Map(), rtcp: 0 }, out: { rtp: new Map(), rtcp: 0 } };
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    const [sport, ssrc, pt, rtcp] = line.split(';');
    const d = sport === '1000' ? dirs.in : dirs.out; // 10.1.1.1:1000 is the peer, 10.2.2.2:2000 us
    if (ssrc) {
      const key = Number(ssrc);
      const e = d.rtp.get(key) || { count: 0, pts: new Set() };
      e.count++;
      e.pts.add(Number(pt));
      d.rtp.set(key, e);
    } else if (rtcp) {
      d.rtcp++;
    }
  }
  return dirs;
}

function compareWithHandleInfo(label, dirs, before, after) {
  const summary = { in: Object.fromEntries([...dirs.in.rtp].map(([k, v]) => [k, [v.count, [...v.pts]]])),
    out: Object.fromEntries([...dirs.out.rtp].map(([k, v]) => [k, [v.count, [...v.pts]]])),
    rtcpIn: dirs.in.rtcp, rtcpOut: dirs.out.rtcp };
  console.log(`[media] ${label}: tshark`, JSON.stringify(summary));
  for (const [mid, m] of Object.entries(after.webrtc.media)) {
    const b = before.webrtc.media[mid];
    for (const [dir, ssrcKey] of [['in', 'ssrc-peer'], ['out', 'ssrc']]) {
      const ssrc = m.ssrc[ssrcKey];
      const seen = dirs[dir].rtp.get(ssrc);
      const delta = m.stats[dir].packets - b.stats[dir].packets;
      console.log(`[media] ${label}: ${m.type} ${dir} SSRC ${ssrc} PT ${m.codecs.pt}: handle_info +${delta}, captured ${seen?.count}`);
      assert.ok(seen, `${label}: ${m.type} ${dir} SSRC ${ssrc} is in the capture`);
      assert.ok(seen.pts.has(m.codecs.pt), `${label}: ${m.type} ${dir} PT ${m.codecs.pt} (seen ${[...seen.pts]})`);
      assert.ok(delta > 0, `${label}: ${m.type} ${dir} packets flowed while capturing`);
      assert.ok(Math.abs(seen.count - delta) <= delta * 0.15 + 10,
        `${label}: ${m.type} ${dir} captured ${seen.count} ~ handle_info +${delta}`);
    }
  }
  assert.ok(dirs.in.rtcp > 0, `${label}: the browser's RTCP decodes (${dirs.in.rtcp})`);
}

function checkCaptures() {
  assert.ok(capture.files.pcap && capture.files.text, 'both captures ran');
  assert.ok(capture.files.pcap.startsWith(fs.realpathSync(CAPTURE_DIR)), `${capture.files.pcap} is under the capture root`);
  compareWithHandleInfo('pcap', tsharkStreams(capture.files.pcap), capture.infos.pcapBefore, capture.infos.pcapAfter);
  const converted = capture.files.text + '.pcapng';
  execFileSync('text2pcap', ['-q', '-D', '-n', '-l', '1', '-i', '17', '-u', '1000,2000', '-t', '%H:%M:%S.',
    capture.files.text, converted], { stdio: ['ignore', 'ignore', 'pipe'] });
  compareWithHandleInfo('text2pcap', tsharkStreams(converted), capture.infos.textBefore, capture.infos.textAfter);
}
// ---- end of the packet capture block --------------------------------------------------------


// Frames decoded so far; a sample taken before the first video packet has no inbound video
// stats at all (seen at load average 13: no video yet two seconds into the call).
const framesDecoded = sample => (sample['in-video'] || {}).framesDecoded || 0;
test(`EchoTest: audio and video echoed for ${SECONDS} s`, { timeout: (SECONDS + 60) * 1000 }, async () => {
  const page = await browser.newPage();
  const consoleLines = [];
  page.on('console', m => consoleLines.push(`[${m.type()}] ${m.text()}`));
  try {
    await page.goto(origin + '/');
    await page.waitForFunction(() => window.e2eReady === true);
    const ids = await page.evaluate(([s]) => window.echo.start(s, {}), [JANUS]);
    // webrtcup reaches janus.js as webrtcState(true).
    await page.waitForFunction(() => window.echo.state.webrtcState.includes(true), null, { timeout: 20_000 });
    if (LOSS > 0) {
      // set_slowlink_threshold takes effect at once: with loss, slowlink events must follow.
      await admin({ janus: 'set_slowlink_threshold', slowlink_threshold: 2 });
      startLoss();
    }
    const samples = [];
    const FUZZ = Number(process.env.FUZZ_DATAGRAMS || 0);
    let fuzzedAt = -1;
    let earlyInfo = null;
    for (let i = 0; i < SECONDS; i++) {
      await new Promise(r => setTimeout(r, 1000));
      samples.push(await page.evaluate(() => window.echo.stats()));
      if (i === 1 && ADMIN_URL) {
        earlyInfo = await admin({ janus: 'handle_info', session_id: ids.sessionId, handle_id: ids.handleId });
        assert.deepEqual(schemaProblems('admin-handle-info', earlyInfo), [], 'handle_info during the call matches its JSON Schema');
      }
      if (CAPTURE_DIR && ADMIN_URL) await captureStep(i, ids);
      if (FUZZ > 0 && i === 3 && ADMIN_URL) {
        const info = await admin({ janus: 'handle_info', session_id: ids.sessionId, handle_id: ids.handleId });
        const [addr, port] = info.info.webrtc.ice['selected-pair'].split(' ')[0].split(/:(?=\d+$)/);
        await fuzzSocket(addr, Number(port), FUZZ);
        fuzzedAt = i;
        console.log(`[media] sent ${FUZZ} fuzzed datagrams to ${addr}:${port}`);
      }
    }
    if (fuzzedAt >= 0) {
      const before = framesDecoded(samples[fuzzedAt]);
      const after = framesDecoded(samples[samples.length - 1]);
      assert.ok(after > before + 20, `video kept flowing after the fuzzing (${before} -> ${after} frames)`);
    }
    if (CAPTURE_DIR && ADMIN_URL) {
      const at = n => framesDecoded(samples[Math.min(n, samples.length - 1)]);
      assert.ok(at(9) > at(1) + 20, `video kept flowing through the capture requests (${at(1)} -> ${at(9)} frames)`);
      await new Promise(r => setTimeout(r, 500)); // the writer thread closes the file after stop
      checkCaptures();
    }
    const first = samples[2];
    const last = samples[samples.length - 1];
    console.log('[media] first', JSON.stringify(first));
    console.log('[media] last ', JSON.stringify(last));
    assert.ok(last['in-video'] && last['in-video'].framesDecoded > first['in-video'].framesDecoded,
      'video frames decoded from the echo keep growing');
    assert.ok(last['in-video'].framesDecoded >= SECONDS * 5, `at least 5 fps decoded (${last['in-video'].framesDecoded})`);
    assert.ok(last['in-audio'] && last['in-audio'].packetsReceived > first['in-audio'].packetsReceived,
      'audio packets received from the echo keep growing');
    // Portunus's own RTCP reaches the browser: sender reports about the echo, and receiver
    // reports whose LSR/DLSR let the browser measure the round trip.
    assert.ok(last['remote-out-video'] && last['remote-out-video'].packetsSent > 0,
      `the browser got Portunus's sender reports (${JSON.stringify(last['remote-out-video'])})`);
    assert.ok(last['remote-in-video'] && typeof last['remote-in-video'].roundTripTime === 'number',
      `the browser measured the RTT from Portunus's receiver reports (${JSON.stringify(last['remote-in-video'])})`);
    if (process.env.EXPECT_CIPHER) {
      // One profile, two spellings: Chromium 156 reports AES128_CM_HMAC_SHA1_80, Chromium 150
      // (Debian bookworm's) the RFC 4568 name AES_CM_128_HMAC_SHA1_80.
      const canonical = name => String(name).replace('AES_CM_128_', 'AES128_CM_');
      assert.ok(canonical(last.srtpCipher).includes(canonical(process.env.EXPECT_CIPHER)),
        `SRTP cipher ${last.srtpCipher}, expected ${process.env.EXPECT_CIPHER}`);
    }
    if (process.env.EXPECT_BROWSER_DTLS_ROLE) {
      assert.equal(last.dtlsRole, process.env.EXPECT_BROWSER_DTLS_ROLE, 'the browser\'s DTLS role');
    }
    if (LOSS > 0) {
      stopLoss();
      const dropped = LOSS;
      assert.ok(last['in-video'].nackCount > 0, `the browser NACKed lost echo packets (${last['in-video'].nackCount})`);
      assert.ok(last['out-video'].retransmittedPacketsSent > 0,
        `the browser retransmitted what Portunus NACKed (${last['out-video'].retransmittedPacketsSent})`);
      const info = await admin({ janus: 'handle_info', session_id: ids.sessionId, handle_id: ids.handleId });
      const video = Object.values(info.info.webrtc.media).find(m => m.type === 'video');
      console.log(`[media] ${dropped}% loss: handle_info video stats`, JSON.stringify(video.stats));
      assert.ok(video.stats.in.nacks > 0, 'NACKs received from the browser counted in handle_info');
      assert.ok(video.stats.out.nacks > 0, 'NACKs sent by Portunus counted in handle_info');
      assert.ok(video.stats.in.retransmissions > 0, 'retransmissions received counted in handle_info');
      const slow = await page.evaluate(() => window.echo.state.slowLinks);
      console.log(`[media] slowlink events seen by janus.js: ${slow.length}`, JSON.stringify(slow.slice(0, 3)));
      assert.ok(slow.length > 0, 'slowlink events after set_slowlink_threshold 2 under 5% loss');
      await admin({ janus: 'set_slowlink_threshold', slowlink_threshold: 0 });
      await checkNoMediaTimer(page);
    }
    if (ADMIN_URL) {
      const info = await admin({ janus: 'handle_info', session_id: ids.sessionId, handle_id: ids.handleId });
      console.log('[media] handle_info.webrtc.ice', JSON.stringify(info.info?.webrtc?.ice));
      console.log('[media] handle_info.webrtc.dtls', JSON.stringify(info.info?.webrtc?.dtls));
      assert.equal(info.info.webrtc.ice.state, 'ready');
      assert.equal(info.info.webrtc.dtls['dtls-state'], 'connected');
      assert.match(info.info.webrtc.ice['selected-pair'], /^10\.77\.0\.1:\d+ \[host,udp\] <-> /);
      // The per-medium counters grow during the call, both ways.
      for (const [mid, medium] of Object.entries(info.info.webrtc.media)) {
        const early = earlyInfo.info.webrtc.media[mid].stats;
        assert.ok(medium.stats.in.packets > early.in.packets, `${medium.type} in.packets grew`);
        assert.ok(medium.stats.out.packets > early.out.packets, `${medium.type} out.packets grew`);
      }
      checkCongestionControlAndRtt(info.info, earlyInfo.info, samples);
    }
    await page.evaluate(() => window.echo.stop());
    if (EVENTS_PORT) {
      await checkEventStream(ids.handleId);
    }
  } catch (e) {
    console.log(consoleLines.slice(-40).join('\n'));
    throw e;
  } finally {
    if (LOSS > 0) stopLoss();
    await page.close().catch(() => {});
  }
});

// ---- ICE restart and renegotiation during a call (RENEGOTIATE=1) ------------------------------
const sdpValue = (sdp, name) => (sdp.match(new RegExp(`^a=${name}:(.*)$`, 'm')) || [])[1]?.trim();
const ssrcs = sdp => [...sdp.matchAll(/^a=ssrc:(\d+) /gm)].map(m => m[1]).filter((v, i, a) => a.indexOf(v) === i).sort();

/** Waits for the n-th answer from the plugin (1-based) and returns it. */
async function nthAnswer(page, n) {
  await page.waitForFunction(k => window.echo.state.answers.length >= k || window.echo.state.errors.length > 0, n,
    { timeout: 10_000 });
  const st = await page.evaluate(() => ({ answers: window.echo.state.answers, errors: window.echo.state.errors }));
  assert.deepEqual(st.errors, [], 'no janus.js errors');
  return st.answers[n - 1];
}

async function framesAfter(page, ms) {
  await new Promise(r => setTimeout(r, ms));
  return page.evaluate(() => window.echo.stats());
}

test('EchoTest: ICE restart and renegotiation keep the call going', { skip: !process.env.RENEGOTIATE, timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  const consoleLines = [];
  page.on('console', m => consoleLines.push(`[${m.type()}] ${m.text()}`));
  try {
    await page.goto(origin + '/');
    await page.waitForFunction(() => window.e2eReady === true);
    const ids = await page.evaluate(([s]) => window.echo.start(s, {}), [JANUS]);
    const at = { session_id: ids.sessionId, handle_id: ids.handleId };
    await page.waitForFunction(() => window.echo.state.webrtcState.includes(true), null, { timeout: 20_000 });
    const first = await nthAnswer(page, 1);
    const before = await framesAfter(page, 1500);
    const pairBefore = await page.evaluate(() => window.echo.selectedPair());

    // 1. ICE restart: new credentials both ways, same DTLS (fingerprint, setup) and SSRCs.
    const restartOffer = await page.evaluate(() => window.echo.renegotiate(true));
    const offers = await page.evaluate(() => window.echo.state.offers);
    assert.notEqual(sdpValue(restartOffer, 'ice-ufrag'), sdpValue(offers[0], 'ice-ufrag'), 'janus.js offered new ICE credentials');
    const restarted = await nthAnswer(page, 2);
    assert.notEqual(sdpValue(restarted, 'ice-ufrag'), sdpValue(first, 'ice-ufrag'), 'the answer carries a new ice-ufrag');
    assert.notEqual(sdpValue(restarted, 'ice-pwd'), sdpValue(first, 'ice-pwd'), 'the answer carries a new ice-pwd');
    assert.equal(sdpValue(restarted, 'fingerprint'), sdpValue(first, 'fingerprint'), 'same DTLS fingerprint');
    assert.equal(sdpValue(restarted, 'setup'), sdpValue(first, 'setup'), 'same DTLS setup');
    assert.deepEqual(ssrcs(restarted), ssrcs(first), 'same SSRCs');
    // The browser moves to a pair of the new generation and media goes on without a new handshake.
    let pairAfter = pairBefore;
    for (const until = Date.now() + 10_000; pairAfter?.local === pairBefore?.local && Date.now() < until;) {
      await new Promise(r => setTimeout(r, 200));
      pairAfter = await page.evaluate(() => window.echo.selectedPair());
    }
    assert.notEqual(pairAfter?.local, pairBefore?.local, 'the browser selected a pair of the new ICE generation');
    const afterRestart = await framesAfter(page, 3000);
    console.log('[media] ICE restart: browser pair', JSON.stringify(pairBefore), '->', JSON.stringify(pairAfter),
      'frames', before['in-video'].framesDecoded, '->', afterRestart['in-video'].framesDecoded);
    assert.ok(afterRestart['in-video'].framesDecoded > before['in-video'].framesDecoded + 40,
      'video frames keep being decoded after the ICE restart');
    assert.ok(afterRestart['in-audio'].packetsReceived > before['in-audio'].packetsReceived + 50, 'audio keeps flowing');
    let info = (await admin({ janus: 'handle_info', ...at })).info;
    console.log('[media] after restart: flags', JSON.stringify(info.flags), 'ice', JSON.stringify(info.webrtc.ice));
    assert.ok(info.sdps.local.includes(`a=ice-ufrag:${sdpValue(restarted, 'ice-ufrag')}`), 'handle_info shows the new local ufrag');
    assert.equal(info.flags['ice-restart'], false, 'ice-restart cleared once the new pair is up');
    assert.ok(['connected', 'ready'].includes(info.webrtc.ice.state), `ICE ${info.webrtc.ice.state}`);
    // Until the browser nominates (USE-CANDIDATE), Portunus may send on another valid pair of the
    // new generation; after it, both ends use the nominated pair.
    for (const until = Date.now() + 8_000; Date.now() < until
        && !(info.webrtc.ice.state === 'ready' && info.webrtc.ice['selected-pair'].includes(`<-> ${pairAfter.local} [`));) {
      await new Promise(r => setTimeout(r, 250));
      pairAfter = await page.evaluate(() => window.echo.selectedPair());
      info = (await admin({ janus: 'handle_info', ...at })).info;
    }
    assert.ok(info.webrtc.ice['selected-pair'].includes(`<-> ${pairAfter.local} [`),
      `Portunus uses the browser's new candidate (${info.webrtc.ice['selected-pair']})`);
    assert.equal(info.webrtc.dtls['dtls-state'], 'connected');
    assert.deepEqual(await page.evaluate(() => window.echo.state.webrtcState), [true], 'one webrtcup, no hangup');

    // 2. Plain renegotiation with EchoTest {"audio":false}: same credentials, audio echo stops, video goes on.
    await page.evaluate(() => window.echo.renegotiate(false, { audio: false, video: true }));
    const renegotiated = await nthAnswer(page, 3);
    assert.equal(sdpValue(renegotiated, 'ice-ufrag'), sdpValue(restarted, 'ice-ufrag'), 'same local ufrag');
    assert.equal(sdpValue(renegotiated, 'ice-pwd'), sdpValue(restarted, 'ice-pwd'), 'same local pwd');
    assert.equal(sdpValue(renegotiated, 'fingerprint'), sdpValue(first, 'fingerprint'), 'same fingerprint');
    assert.deepEqual(ssrcs(renegotiated), ssrcs(first), 'same SSRCs');
    const settled = await framesAfter(page, 1000);
    const end = await framesAfter(page, 2500);
    console.log('[media] renegotiation: frames', settled['in-video'].framesDecoded, '->', end['in-video'].framesDecoded,
      'audio packets', settled['in-audio'].packetsReceived, '->', end['in-audio'].packetsReceived);
    assert.ok(end['in-video'].framesDecoded > settled['in-video'].framesDecoded + 30, 'video keeps flowing after renegotiation');
    assert.ok(end['in-audio'].packetsReceived - settled['in-audio'].packetsReceived < 10, 'audio echo stopped ({"audio":false})');
    info = (await admin({ janus: 'handle_info', ...at })).info;
    assert.equal(info.webrtc.ice.state, 'ready');
    assert.deepEqual(await page.evaluate(() => window.echo.state.webrtcState), [true], 'still one webrtcup, no hangup');
    await page.evaluate(() => window.echo.stop());
  } catch (e) {
    console.log(consoleLines.slice(-40).join('\n'));
    throw e;
  } finally {
    await page.close().catch(() => {});
  }
});
