// VideoRoom simulcast per subscriber (issue #13, must-show 2): janus.js in headless Chromium
// publishes three rid-based layers (h/m/l); two subscribers on substreams 0 and 2 decode
// different widths; one switches with configure and decodes the new width. Inside the namespace
// tests/media-e2e.sh makes (MEDIA_ONLY=videoroom-simulcast runs just this).
//
// The publisher offers transport-cc as janus.js does (Portunus answers with TWCC feedback), so
// Chromium's send estimate climbs within seconds and the top layer gets its frame rate: without
// it (receiver reports alone, no REMB to publishers yet) the 1280-wide layer stayed at 2-3 frames
// a second in runs on 2026-12-05, too few for "frames decoded go on".
//
//   JANUS_HTTP  signalling URL (default http://127.0.0.1:8088/janus)
//   ADMIN_URL, ADMIN_SECRET  for handle_info

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JANUS, admin, printDiagnosis, sleep, videoRoomBrowser } from '../lib/videoroom.mjs';


const { openPage } = videoRoomBrowser();

/** The video a watcher decodes from `feed`: { frameWidth, framesDecoded, ... }. */
async function video(page, feed) {
  return (await page.evaluate(() => window.vr.stats()))[feed]?.video;
}

/**
 * Waits until the watcher decodes a width that satisfies `ok`, then checks that frames go on
 * being decoded at that width (Chromium encoding three layers and decoding two on two shared
 * cores may drop to a few frames a second: what matters is that frames keep coming).
 */
async function decodes(page, feed, label, ok) {
  const deadline = Date.now() + 20_000;
  let v = await video(page, feed);
  while (!(v?.frameWidth && ok(v.frameWidth)) && Date.now() < deadline) {
    await sleep(250);
    v = await video(page, feed);
  }
  const events = () => page.evaluate(f => window.vr.subscription(f).events.filter(e => e.substream !== undefined
    || e.temporal !== undefined).map(e => [e.substream, e.temporal]), feed);
  assert.ok(v?.frameWidth && ok(v.frameWidth), `${label}: decoded width ${v?.frameWidth} (${JSON.stringify(v)}),`
    + ` layer events ${JSON.stringify(await events())}`);
  await sleep(2000);
  const later = await video(page, feed);
  const layerEvents = await events();
  console.log(`[videoroom-simulcast] ${label}: ${later.frameWidth} wide, frames ${v.framesDecoded} -> ${later.framesDecoded} in 2 s;`,
    'layer events', JSON.stringify(layerEvents));
  assert.ok(later.framesDecoded > v.framesDecoded + 3, `${label}: frames decoded go on (${v.framesDecoded} -> ${later.framesDecoded})`);
  assert.ok(ok(later.frameWidth), `${label}: width stays (${later.frameWidth})`);
  return later.frameWidth;
}

/** The subscriber's handle_info plugin_specific entry for its video leg. */
async function videoLeg(page, feed) {
  const ids = await page.evaluate(f => ({ session: window.vr.state.janus.getSessionId(),
    handle: window.vr.subscription(f).handleId }), feed);
  const info = await admin({ janus: 'handle_info', session_id: ids.session, handle_id: ids.handle });
  return info.info.plugin_specific.streams.find(s => s.type === 'video');
}

test('VideoRoom simulcast: subscribers on substreams 0 and 2 decode different widths; one switches and decodes the new one',
  { timeout: 120_000 }, async () => {
    const consoleLines = [];
    const pages = [];
    let pubIds;
    try {
      const pub = await openPage(consoleLines, 'publisher');
      pages.push(pub);
      const room = await pub.evaluate(s => window.vr.createRoom(s), JANUS);
      const published = await pub.evaluate(([s, r]) => window.vr.publish(s, r, 'simulcaster', false, undefined,
        { simulcast: true }), [JANUS, room]);
      pubIds = { session_id: published.sessionId, handle_id: published.handleId };
      const { offer, answer } = await pub.evaluate(() => ({ offer: window.vr.state.offer, answer: window.vr.state.answer }));
      assert.match(offer, /a=simulcast:send/, 'janus.js offered rid simulcast');
      // Accepted as Janus accepts it: the answer receives the three rids.
      assert.match(answer, /a=simulcast:recv/, 'the answer receives simulcast');
      assert.equal((answer.match(/^a=rid:\S+ recv/mg) || []).length, 3, 'three rids received');
      const pubVideo = published.configured.streams.find(s => s.type === 'video');
      assert.equal(pubVideo.simulcast, true, `configured streams say simulcast (${JSON.stringify(published.configured.streams)})`);
      await pub.waitForFunction(() => window.vr.state.webrtcState.includes(true), null, { timeout: 20_000 });
      const pubInfo = await admin({ janus: 'handle_info', session_id: published.sessionId, handle_id: published.handleId });
      const pubStream = pubInfo.info.plugin_specific.streams.find(s => s.type === 'video');
      assert.equal(pubStream.simulcast, true, `publisher handle_info: ${JSON.stringify(pubStream)}`);

      // Two watchers subscribe to its audio and video.
      const watchers = [];
      for (const name of ['low', 'high']) {
        const page = await openPage(consoleLines, name);
        pages.push(page);
        await page.evaluate(([s, r, d]) => window.vr.watch(s, r, d, true), [JANUS, room, name]);
        await page.evaluate(f => window.vr.subscribeTo(f), published.id);
        await page.waitForFunction(f => window.vr.subscription(f)?.events.some(e => e.started === 'ok'), published.id,
          { timeout: 20_000 });
        watchers.push(page);
      }
      const [low, high] = watchers;
      let reply;
      // The attached event shows the video leg's layers as Janus 1.1.2 does: none yet, targets 2.
      const attached = (await low.evaluate(f => window.vr.subscription(f).events, published.id))
        .find(e => e.videoroom === 'attached');
      assert.deepEqual(attached.streams.find(s => s.type === 'video').simulcast,
        { substream: -1, 'substream-target': 2, 'temporal-layer': -1, 'temporal-layer-target': 2 });
      // Bad layer requests get Janus's errors, and the subscription goes on.
      reply = await high.evaluate(f => window.vr.configureSub(f, { streams: [{ mid: '9', substream: 1 }] }), published.id);
      assert.deepEqual([reply.error_code, reply.error], [428, "No such mid '9' in subscription"]);
      reply = await high.evaluate(f => window.vr.configureSub(f, { substream: 7 }), published.id);
      assert.deepEqual([reply.error_code, reply.error], [430, 'Invalid value (substream/spatial_layer should be 0, 1 or 2)']);
      // "low" asks for substream 0 in the multistream form (per mid); "high" for substream 2
      // and temporal 2 in the legacy top-level form (Janus's defaults, said explicitly).
      reply = await low.evaluate(f => window.vr.configureSub(f, { streams: [{ mid: '1', substream: 0 }] }), published.id);
      assert.equal(reply.configured, 'ok', JSON.stringify(reply));
      reply = await high.evaluate(f => window.vr.configureSub(f, { substream: 2, temporal: 2 }), published.id);
      assert.equal(reply.configured, 'ok', JSON.stringify(reply));

      const lowWidth = await decodes(low, published.id, 'substream 0', w => w <= 320);
      // The top layer when the publisher's estimate allows it, else the next one down (fallback).
      const highWidth = await decodes(high, published.id, 'substream 2', w => w > lowWidth);
      console.log(`[videoroom-simulcast] decoded widths: substream 0 -> ${lowWidth}, substream 2 -> ${highWidth}`);

      // Each was told of its layer ({videoroom: "event", mid, substream}), and handle_info says it.
      const events = page => page.evaluate(f => window.vr.subscription(f).events.filter(e => e.substream !== undefined), published.id);
      assert.ok((await events(low)).some(e => e.substream === 0 && e.mid === '1' && e.videoroom === 'event'),
        `low told substream 0: ${JSON.stringify(await events(low))}`);
      let leg = await videoLeg(low, published.id);
      console.log('[videoroom-simulcast] low leg', JSON.stringify(leg));
      assert.equal(leg.simulcast.substream, 0);
      assert.equal(leg.simulcast['substream-target'], 0);
      leg = await videoLeg(high, published.id);
      assert.equal(leg.simulcast['substream-target'], 2);
      assert.ok(leg.simulcast.substream >= 1, `high forwards a higher layer (${JSON.stringify(leg)})`);

      // "low" switches to substream 2 (legacy form, with its mid): the next key frame of that
      // layer starts it, and it decodes the wider picture.
      reply = await low.evaluate(f => window.vr.configureSub(f, { mid: '1', substream: 2 }), published.id);
      assert.equal(reply.configured, 'ok', JSON.stringify(reply));
      const highBefore = await video(high, published.id);
      const switched = await decodes(low, published.id, 'switched to substream 2', w => w > lowWidth);
      const highAfter = await video(high, published.id);
      console.log(`[videoroom-simulcast] meanwhile high decoded ${highAfter.framesDecoded - highBefore.framesDecoded} frames`);
      console.log('[videoroom-simulcast] publisher layers', JSON.stringify((await pub.evaluate(() => window.vr.publisherStats())).layers),
        'low', JSON.stringify(await video(low, published.id)), 'high', JSON.stringify(highAfter));
      leg = await videoLeg(low, published.id);
      console.log(`[videoroom-simulcast] low switched: ${lowWidth} -> ${switched}`, JSON.stringify(leg));
      assert.equal(leg.simulcast['substream-target'], 2);
      assert.ok((await events(low)).some(e => e.substream >= 1), `low told its new layer: ${JSON.stringify(await events(low))}`);
      // The other subscriber stays where it was.
      const still = await video(high, published.id);
      assert.ok(still.frameWidth > lowWidth, `high still decodes its layer (${still.frameWidth})`);
    } catch (e) {
      console.log(consoleLines.slice(-40).join('\n'));
      await printDiagnosis(pages);
      if (pages[0]) console.log('[videoroom-simulcast] publisher layers', JSON.stringify(
        (await pages[0].evaluate(() => window.vr.publisherStats()).catch(() => ({}))).layers));
      if (pubIds) {
        const info = await admin({ janus: 'handle_info', ...pubIds });
        const media = Object.values(info.info?.webrtc?.media || {}).find(m => m.type === 'video');
        console.log('[videoroom-simulcast] publisher video ssrc', JSON.stringify(media?.ssrc), 'stats', JSON.stringify(media?.stats?.in),
          'offer', JSON.stringify((await pages[0].evaluate(() => window.vr.state.offer)).split('\r\n').filter(l => /ssrc|rid|simulcast|extmap/.test(l))));
      }
      throw e;
    } finally {
      for (const page of pages) await page.close().catch(() => {});
    }
  });
