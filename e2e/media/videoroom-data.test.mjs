// VideoRoom data channels (issue #17, must-shows 3 and 4): a janus.js publisher offers a data
// channel with its audio and video, as Janus's multistream demo does; two janus.js subscribers
// answer the server's offer with a data channel of their own and receive the publisher's text and
// binary messages on the publisher's label. handle_info of the three handles (and of an EchoTest
// data call) shows webrtc.dtls.sctp-association and the data medium, and the HTTP event handler
// gets media stats (type 32) for the data medium; both are compared key by key with what Janus
// 1.1.2 showed for the same calls (janus-data-reference.json, recorded with RECORD_REFERENCE=FILE
// against the real Janus: `MEDIA_ONLY=videoroom-data-janus tests/media-e2e.sh`).
//
//   JANUS_HTTP, ADMIN_URL, ADMIN_SECRET  the server under test
//   EVENTS_PORT  where the HTTP event handler posts (events "all", stats_period 1)
//   REAL_JANUS=1  the server is Janus 1.1.2; RECORD_REFERENCE=FILE writes what it showed

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JANUS, admin, printDiagnosis, sleep, until } from '../lib/videoroom.mjs';
import { startPageServer, launchChromium } from '../lib/media-page.mjs';
import { startEventReceiver } from '../lib/event-receiver.mjs';
import { invalidEvents, schemaProblems } from '../lib/schemas.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const EVENTS_PORT = Number(process.env.EVENTS_PORT || 0);
const REAL_JANUS = !!process.env.REAL_JANUS;
const RECORD = process.env.RECORD_REFERENCE;
const REFERENCE_FILE = path.join(here, 'janus-data-reference.json');
const ECHO_PREFIX = 'Janus EchoTest here! You wrote: ';

let server;
let origin;
let browser;
let events;
const reference = {};

before(async () => {
  if (EVENTS_PORT) events = await startEventReceiver(EVENTS_PORT);
  ({ server, origin } = await startPageServer());
  browser = await launchChromium();
});

after(async () => {
  if (RECORD) fs.writeFileSync(RECORD, JSON.stringify(reference, null, 2) + '\n');
  if (events) events.close();
  if (browser) await browser.close().catch(() => {});
  if (server) { server.closeAllConnections?.(); server.close(); }
});

async function openPage(consoleLines, label, route = '/videoroom') {
  const page = await browser.newPage();
  page.on('console', m => consoleLines.push(`[${label} ${m.type()}] ${m.text()}`));
  await page.goto(origin + route);
  await page.waitForFunction(() => window.e2eReady === true);
  return page;
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

/** The data parts of a handle_info: the DTLS keys (sctp-association among them) and the data medium. */
function dataParts(info) {
  const data = Object.values(info.webrtc.media).find(m => m.type === 'data');
  return { flags: { 'data-channels': info.flags['data-channels'] }, dtls: info.webrtc.dtls, data };
}

/** Differences of key paths and types between ours and Janus's (values are the calls' own). */
function keyDifferences(what, ours, theirs) {
  const a = flatten(ours);
  const b = flatten(theirs);
  const problems = [];
  for (const [k, t] of b) {
    if (!a.has(k)) problems.push(`${what}: missing ${k} (${t})`);
    else if (a.get(k) !== t) problems.push(`${what}: ${k} is ${a.get(k)}, Janus ${t}`);
  }
  for (const [k, t] of a) if (!b.has(k)) problems.push(`${what}: only ours ${k} (${t})`);
  return problems;
}

async function handleInfo(sessionId, handleId) {
  const reply = await admin({ janus: 'handle_info', session_id: sessionId, handle_id: handleId });
  assert.equal(reply.janus, 'success', JSON.stringify(reply));
  if (!REAL_JANUS) assert.deepEqual(schemaProblems('admin-handle-info', reply), [], 'handle_info validates');
  return reply.info;
}

/** The latest media stats event (type 32, subtype 3) of a handle that has its data medium. */
function dataStatsEvent(handleId) {
  const all = events.received.filter(e => e.type === 32 && e.subtype === 3 && e.handle_id === handleId);
  const withData = all.filter(e => (Array.isArray(e.event) ? e.event : [e.event]).some(m => m.media === 'data'));
  return withData.at(-1);
}

const dataOf = e => (Array.isArray(e.event) ? e.event : [e.event]).find(m => m.media === 'data');

/** Checks handle_info's data parts and the data stats event of one handle, against Janus's when known. */
async function checkDataParts(name, sessionId, handleId, minIn, minOut) {
  const info = await handleInfo(sessionId, handleId);
  const parts = dataParts(info);
  console.log(`[vr-data] ${name} handle_info data parts`, JSON.stringify(parts.data), 'sctp', parts.dtls['sctp-association'],
    'flag', parts.flags['data-channels']);
  assert.equal(parts.dtls['sctp-association'], true, `${name}: handle_info webrtc.dtls.sctp-association`);
  assert.ok(parts.data, `${name}: a data medium in handle_info's media`);
  assert.ok(parts.data.stats.in.packets >= minIn && parts.data.stats.out.packets >= minOut,
    `${name}: SCTP packets both ways (${JSON.stringify(parts.data.stats)})`);
  let stats;
  if (events) {
    const e = await until(async () => dataStatsEvent(handleId), v => v && dataOf(v)['packets-sent'] >= minOut, 6000, 250);
    assert.ok(e, `${name}: a media stats event (type 32) with the data medium`);
    stats = dataOf(e);
    console.log(`[vr-data] ${name} type-32 data stats`, JSON.stringify(stats));
    assert.equal(stats.mid, parts.data.mid);
    assert.equal(stats.mindex, parts.data.mindex);
    if (!REAL_JANUS) assert.deepEqual(invalidEvents([e]), [], 'the stats event validates');
  }
  if (RECORD) reference[name] = { handleInfo: parts, stats };
  if (!REAL_JANUS) {
    const janus = JSON.parse(fs.readFileSync(REFERENCE_FILE, 'utf8'))[name];
    assert.ok(janus, `Janus 1.1.2's ${name} is in ${REFERENCE_FILE}`);
    const problems = [...keyDifferences(`${name} handle_info data medium`, parts.data, janus.handleInfo.data),
      ...keyDifferences(`${name} handle_info dtls`, parts.dtls, janus.handleInfo.dtls)];
    if (stats) problems.push(...keyDifferences(`${name} type-32 data stats`, stats, janus.stats));
    assert.deepEqual(problems, [], `${name}: the data parts have Janus 1.1.2's keys`);
    assert.equal(parts.flags['data-channels'], janus.handleInfo.flags['data-channels'], `${name}: flags.data-channels as Janus`);
  }
}

test('VideoRoom data: a janus.js publisher\'s messages reach two subscribers on its label; handle_info and events show the data parts',
  { timeout: 90_000 }, async () => {
    const consoleLines = [];
    const pages = [];
    try {
      const pub = await openPage(consoleLines, 'publisher');
      pages.push(pub);
      const room = await pub.evaluate(s => window.vr.createRoom(s), JANUS);
      const published = await pub.evaluate(([s, r]) => window.vr.publish(s, r, 'talker', false, undefined, { data: true }),
        [JANUS, room]);
      console.log('[vr-data] configured', JSON.stringify(published.configured));
      const answer = await pub.evaluate(() => window.vr.state.answer);
      assert.match(answer, /m=application 9 UDP\/DTLS\/SCTP webrtc-datachannel/, 'the publisher\'s data m-line is accepted');
      assert.deepEqual(published.configured.streams.map(s => s.type), ['audio', 'video', 'data']);
      await pub.waitForFunction(() => window.vr.state.webrtcState.includes(true), null, { timeout: 20_000 });
      await pub.waitForFunction(() => (window.vr.state.dataOpened || []).includes('JanusDataChannel'), null, { timeout: 20_000 });

      const watchers = [];
      for (let i = 0; i < 2; i++) {
        const page = await openPage(consoleLines, 'watcher' + i);
        pages.push(page);
        await page.evaluate(() => { window.vr.data = true; });
        await page.evaluate(([s, r, d]) => window.vr.watch(s, r, d, true), [JANUS, room, 'watcher' + i]);
        await page.evaluate(f => window.vr.subscribeTo(f), published.id);
        watchers.push(page);
      }
      for (const [i, page] of watchers.entries()) {
        const sub = await until(() => page.evaluate(() => window.vr.state.subscribed.map(s => ({
          attached: s.events.find(e => e.videoroom === 'attached'), offer: s.offer, webrtcUp: s.webrtcUp,
          opened: s.dataOpened || [] }))), v => v[0]?.webrtcUp && v[0].opened.length > 0, 20_000);
        const offerLines = sub[0].offer.split('\r\n').filter(l => /^m=|^a=(mid|sctp-port|max-message-size|sendonly|sendrecv|recvonly|inactive)/.test(l));
        console.log(`[vr-data] watcher${i} offer`, offerLines.join(' | '));
        const application = sub[0].offer.split(/\r\n(?=m=)/).find(m => m.startsWith('m=application'));
        console.log(`[vr-data] watcher${i} offer's data m-line`, JSON.stringify(application));
        if (RECORD) reference[`offer data m-line ${i}`] = application;
        console.log(`[vr-data] watcher${i} attached streams`, JSON.stringify(sub[0].attached.streams), 'opened', JSON.stringify(sub[0].opened));
        assert.match(sub[0].offer, /m=application 9 UDP\/DTLS\/SCTP webrtc-datachannel/, `watcher ${i}: the server offers data`);
        assert.deepEqual(sub[0].attached.streams.map(s => s.type), ['audio', 'video', 'data']);
        if (RECORD) reference[`attached streams ${i}`] = sub[0].attached.streams;
      }

      // The publisher writes on janus.js's default channel; both subscribers read it there.
      await pub.evaluate(() => window.vr.sendData('hello subscribers', false));
      await pub.evaluate(() => window.vr.sendData([1, 2, 3, 250, 0, 7], true));
      for (let n = 0; n < 20; n++) await pub.evaluate(k => window.vr.sendData('seq ' + k, false), n);
      for (const [i, page] of watchers.entries()) {
        const got = await until(() => page.evaluate(() => window.vr.subscriberData()[0]), v => v.data.length >= 22, 15_000);
        console.log(`[vr-data] watcher${i} opened`, JSON.stringify(got.opened), 'got', JSON.stringify(got.data.slice(0, 3)));
        if (RECORD) reference[`received ${i}`] = { opened: got.opened, first: got.data.slice(0, 2) };
        // As Janus 1.1.2: on a channel the server opens, labelled with the publisher's id (the
        // subscriber's one data m-line carries every publisher it subscribed to).
        const label = String(published.id);
        assert.ok(got.opened.some(o => o.label === label), `watcher ${i}: a channel labelled ${label} opened`);
        assert.deepEqual(got.data[0], { label, text: 'hello subscribers' }, `watcher ${i}: the text`);
        assert.deepEqual(got.data[1], { label, binary: [1, 2, 3, 250, 0, 7] }, `watcher ${i}: the binary`);
        assert.deepEqual(got.data.slice(2).map(d => d.text), Array.from({ length: 20 }, (_, k) => 'seq ' + k), `watcher ${i}: in order`);
        assert.equal(got.data.length, 22, `watcher ${i}: nothing more`);
      }

      await sleep(events ? 1500 : 0); // one more stats round after the messages
      await checkDataParts('videoroom publisher', published.sessionId, published.handleId, 5, 3);
      for (const [i, page] of watchers.entries()) {
        const sub = await page.evaluate(() => ({ sessionId: window.vr.state.janus.getSessionId(),
          handleId: window.vr.subscription(window.vr.state.subscribed[0].feed).handleId }));
        await checkDataParts(i === 0 ? 'videoroom subscriber' : 'videoroom subscriber 2', sub.sessionId, sub.handleId, 3, 5);
      }
    } catch (e) {
      await printDiagnosis(pages);
      console.log(consoleLines.slice(-30).join('\n'));
      throw e;
    } finally {
      for (const p of pages) await p.close().catch(() => {});
    }
  });

test('EchoTest data call: handle_info and the type-32 events show the data parts as Janus 1.1.2', { timeout: 60_000 }, async () => {
  const consoleLines = [];
  const page = await openPage(consoleLines, 'echotest', '/data');
  try {
    const ids = await page.evaluate(([s]) => window.dc.start(s), [JANUS]);
    await page.waitForFunction(() => window.dc.state.opened.some(o => o.label === 'JanusDataChannel'), null, { timeout: 20_000 });
    await page.evaluate(() => window.dc.sendMany(10, 'm '));
    await until(() => page.evaluate(() => window.dc.state.received.length), n => n >= 10, 15_000);
    assert.equal(await page.evaluate(() => window.dc.state.received[0].text), ECHO_PREFIX + 'm 0');
    await sleep(events ? 1500 : 0);
    await checkDataParts('echotest', ids.sessionId, ids.handleId, 10, 10);
  } catch (e) {
    console.log(consoleLines.slice(-30).join('\n'));
    throw e;
  } finally {
    await page.close().catch(() => {});
  }
});
