// The EchoTest with real media: janus.js in headless Chromium (fake camera and microphone)
// against a server reachable from the browser over a veth pair inside a network namespace.
// Run by tests/media-e2e.sh, which creates the namespace and starts the server in it.
//
//   JANUS_HTTP  signalling URL (default http://127.0.0.1:8088/janus)
//   MEDIA_SECONDS  how long the call lasts (default 20)
//   ADMIN_URL, ADMIN_SECRET  for handle_info during the call (optional)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const JANUS = process.env.JANUS_HTTP || 'http://127.0.0.1:8088/janus';
const SECONDS = Number(process.env.MEDIA_SECONDS || 20);
const ADMIN_URL = process.env.ADMIN_URL;
const ADMIN_SECRET = process.env.ADMIN_SECRET || 'janusoverlord';

const ROUTES = {
  '/': [path.join(here, '..', 'fixtures', 'echotest-media.html'), 'text/html'],
  '/vendor/adapter.js': [path.join(path.dirname(require.resolve('webrtc-adapter/package.json')), 'out', 'adapter.js'), 'text/javascript'],
  '/vendor/janus.js': [path.join(path.dirname(require.resolve('janus-gateway/package.json')), 'npm', 'src', 'janus.js'), 'text/javascript'],
};

let server;
let origin;
let browser;

before(async () => {
  server = http.createServer((req, res) => {
    const route = ROUTES[new URL(req.url, 'http://x').pathname];
    if (!route) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': route[1] });
    fs.createReadStream(route[0]).pipe(res);
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      '--disable-features=WebRtcHideLocalIpsWithMdns'],
    timeout: 30_000,
  });
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
    const samples = [];
    for (let i = 0; i < SECONDS; i++) {
      await new Promise(r => setTimeout(r, 1000));
      samples.push(await page.evaluate(() => window.echo.stats()));
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
    if (process.env.EXPECT_CIPHER) {
      assert.ok(String(last.srtpCipher).includes(process.env.EXPECT_CIPHER),
        `SRTP cipher ${last.srtpCipher}, expected ${process.env.EXPECT_CIPHER}`);
    }
    if (process.env.EXPECT_BROWSER_DTLS_ROLE) {
      assert.equal(last.dtlsRole, process.env.EXPECT_BROWSER_DTLS_ROLE, 'the browser\'s DTLS role');
    }
    if (ADMIN_URL) {
      const info = await admin({ janus: 'handle_info', session_id: ids.sessionId, handle_id: ids.handleId });
      console.log('[media] handle_info.webrtc.ice', JSON.stringify(info.info?.webrtc?.ice));
      console.log('[media] handle_info.webrtc.dtls', JSON.stringify(info.info?.webrtc?.dtls));
      assert.equal(info.info.webrtc.ice.state, 'ready');
      assert.equal(info.info.webrtc.dtls['dtls-state'], 'connected');
    }
    await page.evaluate(() => window.echo.stop());
  } catch (e) {
    console.log(consoleLines.slice(-40).join('\n'));
    throw e;
  } finally {
    await page.close().catch(() => {});
  }
});
