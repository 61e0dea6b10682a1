// Holds one janus.js EchoTest call per server URL given (headless Chromium, fake devices) until
// SIGTERM, for benchmarks that need live calls (bench/wrk/admin-sample-config.sh). Prints one
// JSON line per call once it is up: {"server","sessionId","handleId"}. Run it inside the
// namespace the benchmark makes (Chromium gathers no loopback candidates). After FULL_MEDIA_SECONDS
// (default 30) of full media it disables the captured tracks (track.enabled = false: the calls
// go on with black frames and silence), so that encoding and decoding video in the browser does
// not take the CPU the benchmark measures on a small machine; prints {"muted":true} then.
//   node media/hold-calls.mjs http://127.0.0.1:48088/janus http://127.0.0.1:38088/janus
import { startPageServer, launchChromium } from '../lib/media-page.mjs';

const { server, origin } = await startPageServer();
const browser = await launchChromium();
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await browser.close().catch(() => {});
  server.closeAllConnections?.();
  server.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

for (const url of process.argv.slice(2)) {
  const page = await browser.newPage();
  await page.goto(origin + '/');
  await page.waitForFunction(() => window.e2eReady === true);
  const ids = await page.evaluate(([s]) => window.echo.start(s, {}), [url]);
  await page.waitForFunction(() => window.echo.state.webrtcState.includes(true), null, { timeout: 60_000 });
  console.log(JSON.stringify({ server: url, ...ids }));
}
await new Promise(r => setTimeout(r, Number(process.env.FULL_MEDIA_SECONDS || 30) * 1000));
for (const page of browser.contexts().flatMap(c => c.pages())) {
  await page.evaluate(() => window.echo.state.handle.webrtcStuff.pc.getSenders()
    .forEach(sender => { if (sender.track) sender.track.enabled = false; }));
}
console.log(JSON.stringify({ muted: true }));
setInterval(() => {}, 1 << 30);
