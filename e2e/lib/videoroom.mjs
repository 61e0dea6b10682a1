// What the VideoRoom media tests share: the server's URLs from the environment tests/media-e2e.sh
// sets, the Admin API, polling, and one headless Chromium with the page server for the test file
// (e2e/fixtures/videoroom-media.html: janus.js as the VideoRoom demo uses it).
import { before, after } from 'node:test';
import { startPageServer, launchChromium } from './media-page.mjs';

export const JANUS = process.env.JANUS_HTTP || 'http://127.0.0.1:8088/janus';
export const ADMIN_URL = process.env.ADMIN_URL || 'http://127.0.0.1:7088/admin';
export const ADMIN_SECRET = process.env.ADMIN_SECRET || 'janusoverlord';

export const sleep = ms => new Promise(r => setTimeout(r, ms));

/** An Admin API request with a fresh transaction and the admin secret; resolves with the reply. */
export async function admin(body) {
  const r = await fetch(ADMIN_URL, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transaction: Math.random().toString(36).slice(2), admin_secret: ADMIN_SECRET, ...body }) });
  return r.json();
}

/** Polls `probe` every `everyMs` until `ok` holds or `ms` pass; returns the last value. */
export async function until(probe, ok, ms, everyMs = 250) {
  const end = Date.now() + ms;
  let v = await probe();
  while (!ok(v) && Date.now() < end) {
    await sleep(everyMs);
    v = await probe();
  }
  return v;
}

/** The label each page was opened with (openPage). */
const pageLabels = new WeakMap();

/** Prints each page's `window.vr.diagnose()` (a failed test's view of the browsers), never throwing. */
export async function printDiagnosis(pages) {
  for (const page of pages) {
    const d = await page.evaluate(() => window.vr.diagnose()).catch(e => `unavailable: ${e.message}`);
    console.log(`[diagnosis ${pageLabels.get(page)}] ${JSON.stringify(d)}`);
  }
}

/**
 * Starts the page server and Chromium before the file's tests and closes them after; returns
 * `openPage(consoleLines, label)`, which opens the VideoRoom page and keeps its console lines;
 * `chromiumArgs` are extra Chromium switches.
 */
export function videoRoomBrowser(chromiumArgs = []) {
  let server;
  let origin;
  let browser;
  before(async () => {
    ({ server, origin } = await startPageServer());
    browser = await launchChromium(chromiumArgs);
  });
  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (server) { server.closeAllConnections?.(); server.close(); }
  });
  return {
    async openPage(consoleLines, label) {
      const page = await browser.newPage();
      pageLabels.set(page, label);
      page.on('console', m => consoleLines.push(`[${label} ${m.type()}] ${m.text()}`));
      await page.goto(origin + '/videoroom');
      await page.waitForFunction(() => window.e2eReady === true);
      return page;
    },
  };
}
