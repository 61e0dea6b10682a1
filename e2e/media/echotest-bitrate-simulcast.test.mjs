// The EchoTest's bitrate cap (REMB) and simulcast with real media: janus.js in headless
// Chromium against the server, inside the namespace tests/media-e2e.sh makes.
//
// Both calls offer no transport-cc, so Chromium's estimate follows Portunus's receiver reports
// and REMB alone: the cap shows on its own, and the layers come up in the order the simulcast
// test expects. (With transport-cc, which Portunus now answers with TWCC feedback, the first
// layer decoded at substream 0 was the 640-wide one in a run on 2026-11-22: not yet looked into.)
//
//   JANUS_HTTP  signalling URL (default http://127.0.0.1:8088/janus)
//   ADMIN_URL, ADMIN_SECRET  for handle_info

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPageServer, launchChromium } from '../lib/media-page.mjs';

const JANUS = process.env.JANUS_HTTP || 'http://127.0.0.1:8088/janus';
const ADMIN_URL = process.env.ADMIN_URL || 'http://127.0.0.1:7088/admin';
const ADMIN_SECRET = process.env.ADMIN_SECRET || 'janusoverlord';

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

async function admin(body) {
  const r = await fetch(ADMIN_URL, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transaction: Math.random().toString(36).slice(2), admin_secret: ADMIN_SECRET, ...body }) });
  return r.json();
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

/** A call up and running: the page, its ids, and the console lines for a failure report. */
async function call(opts) {
  const page = await browser.newPage();
  const consoleLines = [];
  page.on('console', m => consoleLines.push(`[${m.type()}] ${m.text()}`));
  await page.goto(origin + '/');
  await page.waitForFunction(() => window.e2eReady === true);
  const ids = await page.evaluate(([s, o]) => window.echo.start(s, o), [JANUS, opts]);
  await page.waitForFunction(() => window.echo.state.webrtcState.includes(true), null, { timeout: 20_000 });
  return { page, ids, consoleLines };
}

/** The browser's outgoing video bitrate (bps) over `ms`, and its send-side estimate at the end. */
async function outgoingVideo(page, ms) {
  const a = await page.evaluate(() => window.echo.stats());
  await sleep(ms);
  const b = await page.evaluate(() => window.echo.stats());
  const bps = (b['out-video'].bytesSent - a['out-video'].bytesSent) * 8000 / (b.at - a.at);
  return { bps: Math.round(bps), available: b.availableOutgoingBitrate };
}

test('EchoTest bitrate: a REMB cap lowers what the browser sends', { timeout: 60_000 }, async () => {
  const { page, ids, consoleLines } = await call({ noTransportCc: true });
  try {
    for (let i = 0; i < 5; i++) {
      const st = await page.evaluate(() => window.echo.stats());
      console.log(`[media] t=${i}s`, JSON.stringify({ a: st.availableOutgoingBitrate, out: st.outLayers, rin: st['remote-in-video'] }));
      await sleep(1000);
    }
    const before = await outgoingVideo(page, 2000);
    const CAP = 128_000;
    const reply = await page.evaluate(m => window.echo.request(m), { bitrate: CAP });
    assert.equal(reply.result, 'ok', JSON.stringify(reply));
    await sleep(4000); // the encoder follows the new target within a few frames; give it a margin
    const afterCap = await outgoingVideo(page, 3000);
    console.log(`[media] outgoing video before ${JSON.stringify(before)}, after a ${CAP} bps cap ${JSON.stringify(afterCap)}`);
    assert.ok(before.bps > CAP * 1.5, `before the cap the browser sends more than the cap (${before.bps})`);
    assert.ok(afterCap.bps < CAP * 1.3, `with the cap the browser's video falls to about ${CAP} (${afterCap.bps})`);
    if (typeof afterCap.available === 'number') {
      assert.ok(afterCap.available <= CAP * 1.05, `availableOutgoingBitrate follows the REMB (${afterCap.available})`);
    }
    const info = await admin({ janus: 'handle_info', session_id: ids.sessionId, handle_id: ids.handleId });
    const specific = info.info.plugin_specific;
    console.log('[media] plugin_specific', JSON.stringify(specific));
    assert.equal(specific.bitrate, CAP);
    assert.equal(specific.video_codec, 'vp8');
    const frames = (await page.evaluate(() => window.echo.stats()))['in-video'].framesDecoded;
    await sleep(1000);
    assert.ok((await page.evaluate(() => window.echo.stats()))['in-video'].framesDecoded > frames,
      'the capped video is still decoded');
  } catch (e) {
    console.log(consoleLines.slice(-30).join('\n'));
    throw e;
  } finally {
    await page.evaluate(() => window.echo.stop()).catch(() => {});
    await page.close().catch(() => {});
  }
});

test('EchoTest simulcast: substream 0 and 2 change the width the browser decodes', { timeout: 90_000 }, async () => {
  const { page, ids, consoleLines } = await call({ simulcast: true, noTransportCc: true });
  const width = async () => (await page.evaluate(() => window.echo.stats()))['in-video'];
  /** Waits until the decoded width satisfies `ok`, checking frames keep being decoded meanwhile. */
  async function waitWidth(label, ok) {
    const deadline = Date.now() + 15_000;
    let v = await width();
    while (!(v && v.frameWidth && ok(v.frameWidth)) && Date.now() < deadline) {
      await sleep(250);
      v = await width();
    }
    assert.ok(v && ok(v.frameWidth), `${label}: decoded width ${v?.frameWidth}`);
    // Encoding three layers and decoding one on two shared cores, Chromium may drop to a few
    // frames a second: what matters is that frames keep coming.
    const frames = v.framesDecoded;
    await sleep(2000);
    const later = await width();
    assert.ok(later.framesDecoded > frames + 3, `${label}: frames decoded go on (${frames} -> ${later.framesDecoded})`);
    if (!ok(later.frameWidth)) {
      const st = await page.evaluate(() => window.echo.stats());
      console.log('[media] layers sent', JSON.stringify(st.outLayers), 'available', st.availableOutgoingBitrate,
        'events', JSON.stringify(await page.evaluate(() => window.echo.state.events.filter(e => e.substream !== undefined || e.temporal !== undefined))));
    }
    assert.ok(ok(later.frameWidth), `${label}: width stays (${later.frameWidth})`);
    return later.frameWidth;
  }
  try {
    const offer = await page.evaluate(() => window.echo.state.offer);
    assert.match(offer, /a=simulcast:send/, 'janus.js offered rid simulcast');
    await sleep(4000);
    let reply = await page.evaluate(m => window.echo.request(m), { substream: 0 });
    assert.equal(reply.result, 'ok');
    const low = await waitWidth('substream 0', w => w <= 320);
    const events = () => page.evaluate(() => window.echo.state.events.filter(e => e.substream !== undefined));
    assert.ok((await events()).some(e => e.substream === 0 && e.videocodec === 'vp8'),
      `a substream 0 event (${JSON.stringify(await events())})`);
    let info = await admin({ janus: 'handle_info', session_id: ids.sessionId, handle_id: ids.handleId });
    let specific = info.info.plugin_specific;
    console.log('[media] simulcast plugin_specific at substream 0', JSON.stringify(specific),
      'ssrc', JSON.stringify(Object.values(info.info.webrtc.media).find(m => m.type === 'video').ssrc));
    assert.equal(specific.simulcast, true);
    assert.equal(specific.substream, 0);
    assert.equal(specific['substream-target'], 0);

    reply = await page.evaluate(m => window.echo.request(m), { substream: 2 });
    assert.equal(reply.result, 'ok');
    // The top layer when the browser's estimate allows it, else the next one down (fallback).
    const high = await waitWidth('substream 2', w => w > low);
    info = await admin({ janus: 'handle_info', session_id: ids.sessionId, handle_id: ids.handleId });
    specific = info.info.plugin_specific;
    console.log(`[media] simulcast widths: substream 0 -> ${low}, substream 2 -> ${high};`, JSON.stringify(specific));
    assert.equal(specific['substream-target'], 2);
    assert.ok(specific.substream >= 1, `forwarding a higher layer (${specific.substream})`);

    reply = await page.evaluate(m => window.echo.request(m), { substream: 0 });
    assert.equal(reply.result, 'ok');
    await waitWidth('back to substream 0', w => w === low);
  } catch (e) {
    console.log(consoleLines.slice(-30).join('\n'));
    throw e;
  } finally {
    await page.evaluate(() => window.echo.stop()).catch(() => {});
    await page.close().catch(() => {});
  }
});
