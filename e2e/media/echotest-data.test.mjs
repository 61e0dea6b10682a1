// EchoTest data channels (issue #17): janus.js in headless Chromium offers a data channel to
// the EchoTest, as Janus's demo does, and checks what a user of the demo sees: the channel
// opens, text comes back as "Janus EchoTest here! You wrote: ...", binary comes back as sent,
// 1,000 messages come back in order, a 64 KiB message round-trips, and an unordered partially
// reliable channel made with the browser's API works too. handle_info shows the SCTP
// association and the data medium. Run by tests/media-e2e.sh (MEDIA_ONLY=data) in its
// namespace; LOSS_PERCENT drops that share of the media ports' datagrams both ways (nftables).
//
//   JANUS_HTTP, ADMIN_URL, ADMIN_SECRET, LOSS_PERCENT, EVENTS_PORT

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { startPageServer, launchChromium } from '../lib/media-page.mjs';
import { startEventReceiver } from '../lib/event-receiver.mjs';

const JANUS = process.env.JANUS_HTTP || 'http://127.0.0.1:8088/janus';
const ADMIN_URL = process.env.ADMIN_URL;
const ADMIN_SECRET = process.env.ADMIN_SECRET || 'janusoverlord';
const LOSS = Number(process.env.LOSS_PERCENT || 0);
const MEDIA_PORTS = process.env.MEDIA_PORTS || '20000-20100';
const EVENTS_PORT = Number(process.env.EVENTS_PORT || 0);
const PREFIX = 'Janus EchoTest here! You wrote: ';
const BIG = Number(process.env.BIG_MESSAGE || 65536);

let server;
let origin;
let browser;
let events;

function nft(...args) {
  execFileSync('nft', args, { stdio: 'pipe' });
}

before(async () => {
  if (EVENTS_PORT) events = await startEventReceiver(EVENTS_PORT);
  ({ server, origin } = await startPageServer());
  browser = await launchChromium();
});

after(async () => {
  if (LOSS) { try { nft('delete', 'table', 'inet', 'portunus_dc_loss'); } catch { /* not there */ } }
  if (events) events.close();
  if (browser) await browser.close().catch(() => {});
  if (server) { server.closeAllConnections?.(); server.close(); }
});

async function admin(body) {
  const r = await fetch(ADMIN_URL, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transaction: Math.random().toString(36).slice(2), admin_secret: ADMIN_SECRET, ...body }) });
  return r.json();
}

const received = page => page.evaluate(() => window.dc.state.received.map(r => (r.text !== undefined
  ? { label: r.label, text: r.text } : { label: r.label, binary: r.binary, head: r.head })));

async function until(page, what, predicate, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const got = await received(page);
    if (predicate(got)) return got;
    if (Date.now() > deadline) {
      assert.fail(`${what}: not within ${timeout} ms (${got.length} messages, last ${JSON.stringify(got.slice(-2))})`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

/** The same generator as the page's sendBig, for the expected digest. */
function bigDigest(n, seed) {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; b[i] = x >>> 24; }
  return crypto.createHash('sha256').update(b).digest('hex');
}

test(`EchoTest data channels${LOSS ? ` under ${LOSS}% loss` : ''}`, { timeout: 120_000 }, async () => {
  const page = await browser.newPage();
  const consoleLines = [];
  page.on('console', m => consoleLines.push(`[${m.type()}] ${m.text()}`));
  try {
    await page.goto(origin + '/data');
    await page.waitForFunction(() => window.e2eReady === true);
    const ids = await page.evaluate(([s]) => window.dc.start(s), [JANUS]);
    await page.waitForFunction(() => window.dc.state.webrtcState.includes(true), null, { timeout: 20_000 });
    await page.waitForFunction(() => window.dc.state.opened.some(o => o.label === 'JanusDataChannel'), null, { timeout: 20_000 });
    const sdp = await page.evaluate(() => window.dc.state.answer);
    console.log('[data] answer m-line:', sdp.split('\r\n').filter(l => /^m=|sctp|max-message/.test(l)).join(' | '));
    assert.match(sdp, /m=application 9 UDP\/DTLS\/SCTP webrtc-datachannel/, 'the answer accepts the data m-line');
    assert.match(sdp, /a=sctp-port:5000/);
    if (LOSS) {
      nft('add', 'table', 'inet', 'portunus_dc_loss');
      nft('add', 'chain', 'inet', 'portunus_dc_loss', 'input', '{ type filter hook input priority 0; }');
      for (const dir of ['dport', 'sport']) {
        nft('add', 'rule', 'inet', 'portunus_dc_loss', 'input', 'udp', dir, MEDIA_PORTS, 'numgen', 'random', 'mod', '100',
          '<', String(LOSS), 'counter', 'drop');
      }
    }

    // Text, then binary, on janus.js's default channel.
    await page.evaluate(() => window.dc.send('hello portunus', false));
    let got = await until(page, 'text echo', g => g.length >= 1, 15_000);
    assert.deepEqual(got[0], { label: 'JanusDataChannel', text: PREFIX + 'hello portunus' });
    await page.evaluate(() => window.dc.send([1, 2, 3, 250, 0, 7], true));
    got = await until(page, 'binary echo', g => g.length >= 2, 15_000);
    assert.deepEqual(got[1], { label: 'JanusDataChannel', binary: 6, head: [1, 2, 3, 250, 0, 7] });

    // 1,000 messages on the ordered, reliable channel: every one back, in order.
    await page.evaluate(() => window.dc.sendMany(1000, 'seq '));
    got = await until(page, '1,000 echoes', g => g.length >= 1002, 60_000);
    const seq = got.slice(2, 1002).map(r => r.text);
    assert.deepEqual(seq, Array.from({ length: 1000 }, (_, i) => PREFIX + 'seq ' + i), 'all 1,000 in order');

    // One 64 KiB binary message (fragmented into ~60 SCTP chunks each way).
    const sentDigest = await page.evaluate(n => window.dc.sendBig(n, 17), BIG);
    assert.equal(sentDigest, bigDigest(BIG, 17));
    got = await until(page, '64 KiB echo', g => g.length >= 1003, 30_000);
    assert.equal(got[1002].binary, BIG);
    assert.equal(await page.evaluate(() => window.digestOf(1002)), sentDigest, 'the 64 KiB message came back intact');

    // An unordered channel that never retransmits, opened by the browser on the same association.
    await page.evaluate(() => window.dc.openLossy('lossy', { ordered: false, maxRetransmits: 0 }));
    await page.evaluate(() => window.dc.sendOn('lossy', 200, 'u '));
    await new Promise(r => setTimeout(r, 3000));
    got = await received(page);
    const lossy = got.filter(r => r.label === 'lossy').map(r => r.text);
    console.log(`[data] unordered, maxRetransmits 0: ${lossy.length} of 200 back`);
    assert.ok(new Set(lossy).size === lossy.length && lossy.every(t => /^Janus EchoTest here! You wrote: u \d+$/.test(t)),
      'no duplicates, nothing garbled');
    // Nothing is retransmitted on this channel, either way: a packet lost is a message given up.
    // Janus 1.1.2 returned 200 of 200 on a clean link; Portunus 64 to 175 of 200 clean
    // until its DTLS inbox stopped dropping the browser's burst (one SCTP packet per message)
    // and its sender stopped sending 200 echoes as 200 packets at once; since, 142 to 200 clean
    // and 105 to 189 at 5 % loss (December 2026, 2-core machine). What is still lost clean is
    // mostly dropped by the kernel at Chromium's own socket (128 KiB receive buffer) when
    // Chromium reads late, which our sender then gives up as RFC 3758 says. The floors are kept
    // below the lowest seen, as a loaded CI machine reads later still: under loss 105; clean 114
    // (a fresh-clone CI run on 2026-12-06; 168-200 in the three runs around it).
    assert.ok(lossy.length >= (LOSS ? 60 : 100), `half or more come back (${lossy.length})`);

    if (ADMIN_URL) {
      const info = (await admin({ janus: 'handle_info', session_id: ids.sessionId, handle_id: ids.handleId })).info;
      console.log('[data] handle_info flags/dtls:', JSON.stringify({ flags: info.flags, sctp: info.webrtc.dtls['sctp-association'] }));
      console.log('[data] handle_info media:', JSON.stringify(info.webrtc.media), 'portunus-errors:',
        JSON.stringify(info.webrtc['portunus-errors']));
      assert.equal(info.webrtc.dtls['sctp-association'], true, 'handle_info shows the SCTP association');
      assert.equal(info.flags['data-channels'], true, 'and the data-channels flag');
      const data = Object.values(info.webrtc.media).find(m => m.type === 'data');
      assert.ok(data, 'a data medium in handle_info');
    }

    // Closing a channel from the browser (stream reset): it closes, the other keeps working.
    assert.equal(await page.evaluate(() => window.dc.closeChannel('lossy')), 'closed');
    const before = (await received(page)).length;
    await page.evaluate(() => window.dc.send('still here', false));
    got = await until(page, 'echo after a close', g => g.length > before, 15_000);
    assert.equal(got[before].text, PREFIX + 'still here');
    assert.deepEqual(await page.evaluate(() => window.dc.state.errors), []);
  } catch (e) {
    console.log(consoleLines.slice(-30).join('\n'));
    throw e;
  } finally {
    await page.close().catch(() => {});
  }
});
