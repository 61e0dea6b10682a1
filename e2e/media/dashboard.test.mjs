// The dashboard (issue #20) with a live janus.js EchoTest call, both in headless Chromium,
// inside the namespace tests/media-e2e.sh makes: the sign-in refuses a wrong secret (and so
// does the live feed), the sessions view lists the call, the handle page plots a non-zero
// bitrate and shows ICE, DTLS and webrtcup on its timeline, "hangup" ends the browser's call,
// and after "detach" the call is under calls that ended with its reason and stats. A live
// VideoRoom (janus.js publisher and subscriber) is in the rooms view with its publisher, its
// subscriber and bitrates in and out. Then the sessions view's load time with 1,000 sessions.
//
//   JANUS_HTTP, ADMIN_URL, ADMIN_SECRET   the server (defaults below)
//   SCREENSHOT_DIR                        when set, a PNG of each view goes there (docs/)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { startPageServer, launchChromium } from '../lib/media-page.mjs';

const JANUS = process.env.JANUS_HTTP || 'http://127.0.0.1:8088/janus';
const ADMIN_URL = process.env.ADMIN_URL || 'http://127.0.0.1:7088/admin';
const ADMIN_SECRET = process.env.ADMIN_SECRET || 'janusoverlord';
const DASHBOARD = new URL('/dashboard/', ADMIN_URL).href;
const SHOTS = process.env.SCREENSHOT_DIR;
const SESSIONS = Number(process.env.DASHBOARD_SESSIONS || 1000);

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

const sleep = ms => new Promise(r => setTimeout(r, ms));

async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `dashboard-${name}.png`), fullPage: false });
}

async function dashboardPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const lines = [];
  page.on('console', m => lines.push(`[dashboard ${m.type()}] ${m.text()}`));
  page.on('pageerror', e => lines.push(`[dashboard error] ${e.message}`));
  page.on('dialog', d => d.accept());
  await page.goto(DASHBOARD);
  return { page, lines };
}

/** The VideoRoom test page (janus.js as the VideoRoom demo uses it), with its console lines. */
async function videoRoomPage(label) {
  const page = await browser.newPage();
  const lines = [];
  page.on('console', m => lines.push(`[${label} ${m.type()}] ${m.text()}`));
  await page.goto(origin + '/videoroom');
  await page.waitForFunction(() => window.e2eReady === true);
  return { page, lines };
}

async function post(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

const adminRequest = body => post(ADMIN_URL, { transaction: 'dash-test', admin_secret: ADMIN_SECRET, ...body });

async function signIn(page, secret) {
  await page.fill('#secret', secret);
  await page.click('#signin button[type=submit]');
}

test('a wrong or missing secret gets the sign-in form only, and no live feed', { timeout: 30_000 }, async () => {
  const { page } = await dashboardPage();
  try {
    assert.equal(await page.isVisible('#signin'), true);
    assert.equal(await page.isVisible('#app'), false);
    await signIn(page, 'not-the-secret');
    await page.waitForFunction(() => document.getElementById('signin-error').textContent.length > 0);
    assert.match(await page.textContent('#signin-error'), /Wrong admin secret/);
    assert.equal(await page.isVisible('#app'), false, 'nothing but the sign-in form');
    assert.equal(await page.evaluate(() => document.getElementById('view').children.length), 0);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('portunus.adminSecret')), null, 'a refused secret is not kept');
    const feed = await page.evaluate(async () => {
      const wrong = await fetch('/dashboard/feed', { method: 'POST', body: JSON.stringify({ admin_secret: 'not-the-secret' }) });
      const missing = await fetch('/dashboard/feed', { method: 'POST', body: '{}' });
      return [wrong.status, missing.status];
    });
    assert.deepEqual(feed, [403, 403], 'the live feed refuses to start');
    const status = await page.evaluate(async adminPath => (await (await fetch(adminPath, { method: 'POST',
      body: JSON.stringify({ janus: 'dashboard_sessions', transaction: 't' }) })).json()).error.code, new URL(ADMIN_URL).pathname);
    assert.equal(status, 403, 'the dashboard requests need the secret');
    await shot(page, 'signin');
  } finally {
    await page.close();
  }
});

test('the dashboard follows a live EchoTest call from start to after its end', { timeout: 120_000 }, async () => {
  const call = await browser.newPage();
  const callLines = [];
  call.on('console', m => callLines.push(`[call ${m.type()}] ${m.text()}`));
  await call.goto(origin + '/');
  await call.waitForFunction(() => window.e2eReady === true);
  const ids = await call.evaluate(([s, o]) => window.echo.start(s, o), [JANUS, { opaqueId: 'dashboard-e2e' }]);
  await call.waitForFunction(() => window.echo.state.webrtcState.includes(true), null, { timeout: 20_000 });
  const { page, lines } = await dashboardPage();
  const vrPages = [];
  try {
    await signIn(page, ADMIN_SECRET);
    await page.waitForSelector('#app:not([hidden])');
    assert.equal(await page.isVisible('#signin'), false, 'the sign-in form goes once signed in');
    await page.waitForFunction(() => /feed: live/.test(document.getElementById('feed-status').textContent), null, { timeout: 10_000 });

    // Overview
    await page.waitForFunction(() => Number(document.querySelector('#count-sessions .v')?.textContent) >= 1, null, { timeout: 10_000 });
    await shot(page, 'overview');

    // Sessions: the call is listed, and the search finds it by opaque_id
    await page.goto(DASHBOARD + '#/sessions');
    await page.waitForSelector(`tr[data-session="${ids.sessionId}"]`, { timeout: 10_000 });
    await page.waitForSelector(`tr[data-handle="${ids.handleId}"]`);
    await page.fill('#session-search', 'dashboard-e2e');
    await page.waitForFunction(id => document.querySelectorAll('tr.handle').length === 1
      && document.querySelector('tr.handle').dataset.handle === String(id), ids.handleId);
    const row = await page.textContent(`tr[data-handle="${ids.handleId}"]`);
    console.log('[dashboard] sessions row:', row.replace(/\s+/g, ' ').trim());
    assert.match(row, /janus\.plugin\.echotest/);
    await shot(page, 'sessions');

    // The handle page: a non-zero bitrate line, and ICE, DTLS and webrtcup on the timeline
    await page.click(`tr[data-handle="${ids.handleId}"] a`);
    await page.waitForSelector('#plot-bitrate canvas');
    await page.waitForFunction(() => {
      const d = window.portunusDashboard.plots?.data?.bitrate;
      return d && d[0].length >= 3 && (d[1].some(v => v > 0) || d[2].some(v => v > 0));
    }, null, { timeout: 20_000 });
    const bitrate = await page.evaluate(() => window.portunusDashboard.plots.data.bitrate);
    const peak = Math.max(...bitrate[1], ...bitrate[2]);
    console.log(`[dashboard] bitrate plot: ${bitrate[0].length} points, peak ${peak.toFixed(0)} kbit/s`);
    assert.ok(peak > 0, 'the bitrate plot has a non-zero line');
    const timeline = await page.textContent('#timeline');
    assert.match(timeline, /ICE (connecting|connected|ready)/, 'ICE on the timeline');
    assert.match(timeline, /DTLS connected/, 'DTLS on the timeline');
    assert.match(timeline, /webrtcup/, 'webrtcup on the timeline');
    await page.waitForSelector('#handle-info details');
    await sleep(2000); // a few more seconds of plot for the picture
    await shot(page, 'handle');

    // A packet capture started and stopped from the page, fetched through its download link
    await page.click('button[data-action=start_pcap]');
    await page.waitForFunction(() => /capturing to/.test(document.getElementById('handle-action-result').textContent));
    await sleep(2000);
    await page.click('button[data-action=stop_pcap]');
    await page.waitForSelector('#capture-download');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#capture-download')]);
    const pcap = fs.readFileSync(await download.path());
    console.log(`[dashboard] capture downloaded: ${download.suggestedFilename()}, ${pcap.length} bytes`);
    assert.ok(pcap.length > 24 + 100, 'the capture holds packets');
    assert.ok([0xa1b2c3d4, 0xd4c3b2a1].includes(pcap.readUInt32LE(0)), 'a pcap file');

    // "hangup" in the dashboard ends the browser's call
    await page.click('button[data-action=hangup]');
    await call.waitForFunction(() => window.echo.state.webrtcState.includes(false), null, { timeout: 10_000 });
    const hangup = await call.evaluate(() => window.echo.state.events.find(e => e.cleanup) ? 'cleanup' : 'webrtcState false');
    console.log('[dashboard] the browser saw the hangup:', hangup);

    // "detach", then the call is under calls that ended, with its reason and stats
    await page.click('button[data-action=detach]');
    await page.waitForSelector('#handle-gone:not([hidden])', { timeout: 10_000 });
    await page.goto(DASHBOARD + '#/ended');
    await page.waitForSelector(`#ended-table tr[data-handle="${ids.handleId}"]`, { timeout: 10_000 });
    const ended = await page.textContent(`#ended-table tr[data-handle="${ids.handleId}"]`);
    console.log('[dashboard] ended call row:', ended.replace(/\s+/g, ' ').trim());
    assert.match(ended, /Admin API/, 'the hangup reason');
    assert.match(ended, /video: [1-9]\d* pkts in/, 'final video stats');
    assert.match(ended, /audio: [1-9]\d* pkts in/, 'final audio stats');
    await shot(page, 'ended');
    await page.click(`#ended-table tr[data-handle="${ids.handleId}"] a`);
    await page.waitForSelector('#ended-summary .card');
    await page.waitForSelector('#handle-info details');
    const endedTimeline = await page.textContent('#timeline');
    assert.match(endedTimeline, /webrtcup/);
    assert.match(endedTimeline, /hangup: Admin API/);
    assert.match(endedTimeline, /handle detached/);
    await shot(page, 'ended-call');

    // A live VideoRoom: a janus.js publisher and a janus.js subscriber in a room made through
    // janus.js. The rooms view lists the room with the publisher (linked to its handle page),
    // one subscriber, and non-zero bitrates in and out; the publisher's leaving drops its name.
    const pub = await videoRoomPage('dash-alice');
    const sub = await videoRoomPage('dash-bob');
    vrPages.push(pub, sub);
    const room = await pub.page.evaluate(s => window.vr.createRoom(s, { description: 'dashboard room' }), JANUS);
    const published = await pub.page.evaluate(([s, r]) => window.vr.publish(s, r, 'dash-alice'), [JANUS, room]);
    await pub.page.waitForFunction(() => window.vr.state.webrtcState.includes(true), null, { timeout: 20_000 });
    await sub.page.evaluate(([s, r]) => window.vr.watch(s, r, 'dash-bob'), [JANUS, room]);
    await page.goto(DASHBOARD + '#/rooms');
    const rowOf = `#rooms-table tr[data-room="${room}"]`;
    await page.waitForSelector(rowOf, { timeout: 10_000 });
    await page.waitForFunction(row => {
      const tr = document.querySelector(row);
      const cells = tr ? [...tr.querySelectorAll('td')].map(td => td.textContent) : [];
      return /dash-alice/.test(cells[4]) && Number(cells[5]) === 1 && Number(cells[6]) > 0 && Number(cells[7]) > 0;
    }, rowOf, { timeout: 20_000 });
    const roomRow = await page.$$eval(`${rowOf} td`, tds => tds.map(td => td.textContent.trim()));
    console.log('[dashboard] rooms row:', JSON.stringify(roomRow));
    assert.equal(roomRow[1], 'dashboard room');
    assert.match(roomRow[4], /dash-alice \d/, 'the publisher with its bitrate in');
    assert.match(roomRow[4], /dash-bob \(not publishing\)/, 'the watcher joined without publishing');
    await sleep(2000); // the rates settle for the picture
    await shot(page, 'rooms');
    // The publisher's name links to its handle page, which plots its incoming video.
    await page.click(`${rowOf} a[title="publisher ${published.id}"]`);
    await page.waitForFunction(id => location.hash.endsWith('/' + id), published.handleId);
    await page.waitForFunction(() => {
      const d = window.portunusDashboard.plots?.data?.bitrate;
      return d && d[1].some(v => v > 0);
    }, null, { timeout: 20_000 });
    await page.goto(DASHBOARD + '#/rooms');
    await pub.page.evaluate(() => window.vr.leave());
    await page.waitForFunction(row => {
      const tr = document.querySelector(row);
      return tr && !/dash-alice/.test(tr.querySelectorAll('td')[4].textContent);
    }, rowOf, { timeout: 10_000 });
    await adminRequest({ janus: 'message_plugin', plugin: 'janus.plugin.videoroom', request: { request: 'destroy', room } });
  } catch (e) {
    console.log(lines.slice(-30).join('\n'));
    console.log(callLines.slice(-30).join('\n'));
    for (const p of vrPages) console.log(p.lines.slice(-20).join('\n'));
    throw e;
  } finally {
    for (const p of vrPages) await p.page.close().catch(() => {});
    await call.evaluate(() => window.echo.stop()).catch(() => {});
    await call.close().catch(() => {});
    await page.close().catch(() => {});
  }
});

test(`the sessions view loads ${SESSIONS} sessions in under a second`, { timeout: 180_000 }, async () => {
  const post = async (url, body) => (await fetch(url, { method: 'POST', body: JSON.stringify(body) })).json();
  const created = [];
  const started = Date.now();
  for (let i = 0; i < SESSIONS; i += 25) {
    await Promise.all(Array.from({ length: Math.min(25, SESSIONS - i) }, async (_, k) => {
      const s = await post(JANUS, { janus: 'create', transaction: 'c' });
      const h = await post(`${JANUS}/${s.data.id}`, { janus: 'attach', plugin: 'janus.plugin.echotest',
        opaque_id: `load-${i + k}`, transaction: 'a' });
      created.push([s.data.id, h.data.id]);
    }));
  }
  console.log(`[dashboard] ${created.length} sessions with a handle each made in ${Date.now() - started} ms`);
  const { page } = await dashboardPage();
  try {
    await signIn(page, ADMIN_SECRET);
    await page.waitForSelector('#app:not([hidden])');
    await page.goto(DASHBOARD + '#/sessions');
    await page.waitForFunction(n => document.querySelectorAll('tr.session').length >= n, SESSIONS, { timeout: 20_000 });
    // The view reloads every 2 s: take the load time of a few reloads.
    const times = [];
    for (let i = 0; i < 3; i++) {
      await sleep(2100);
      times.push(await page.evaluate(() => window.portunusDashboard.sessionsLoadMs));
    }
    console.log(`[dashboard] sessions view with ${SESSIONS} sessions: ${times.map(t => t.toFixed(0)).join(', ')} ms (request + table)`);
    assert.ok(Math.max(...times) < 1000, `loads in under 1 s (${times})`);
    await page.fill('#session-search', `load-${SESSIONS - 1}`);
    await page.waitForFunction(() => document.querySelectorAll('tr.handle').length === 1);
  } finally {
    await page.close();
    for (let i = 0; i < created.length; i += 50) {
      await Promise.all(created.slice(i, i + 50).map(([s]) => post(`${JANUS}/${s}`, { janus: 'destroy', transaction: 'd' }).catch(() => {})));
    }
  }
});
