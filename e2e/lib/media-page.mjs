// What the media tests share: a page server for the EchoTest fixture (janus.js and adapter.js
// from node_modules) and headless Debian Chromium with a fake camera and microphone, run inside
// the namespace tests/media-e2e.sh makes.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const ROUTES = {
  '/': [path.join(here, '..', 'fixtures', 'echotest-media.html'), 'text/html'],
  '/data': [path.join(here, '..', 'fixtures', 'echotest-data.html'), 'text/html'],
  '/videoroom': [path.join(here, '..', 'fixtures', 'videoroom-media.html'), 'text/html'],
  '/vendor/adapter.js': [path.join(path.dirname(require.resolve('webrtc-adapter/package.json')), 'out', 'adapter.js'), 'text/javascript'],
  '/vendor/janus.js': [path.join(path.dirname(require.resolve('janus-gateway/package.json')), 'npm', 'src', 'janus.js'), 'text/javascript'],
};

/** Serves the fixture page on 127.0.0.1 (a free port): { server, origin }. */
export async function startPageServer() {
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url, 'http://x').pathname;
    // Chromium asks for a favicon with each first page: no content, rather than a 404 in the console.
    if (pathname === '/favicon.ico') { res.writeHead(204); res.end(); return; }
    const route = ROUTES[pathname];
    if (!route) { console.log(`[page server] 404 ${pathname}`); res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': route[1] });
    fs.createReadStream(route[0]).pipe(res);
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/**
 * Debian's Chromium, headless, fake media devices, host candidates not hidden behind mDNS;
 * `extraArgs` adds switches (e.g. `--use-file-for-fake-audio-capture=FILE`).
 */
export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      '--disable-features=WebRtcHideLocalIpsWithMdns', ...extraArgs],
    timeout: 30_000,
  });
}
