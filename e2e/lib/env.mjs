// Shared configuration and helpers for the Portunus e2e tests.
// Server URLs come from the environment so the same tests run against
// Portunus (defaults) or the real Janus (scripts/real-janus.sh start).

export const JANUS_HTTP = process.env.JANUS_HTTP || 'http://127.0.0.1:8088/janus';
export const JANUS_WS = process.env.JANUS_WS || 'ws://127.0.0.1:8188';
export const JANUS_ADMIN_HTTP = process.env.JANUS_ADMIN_HTTP || 'http://127.0.0.1:7088/admin';
export const JANUS_ADMIN_WS = process.env.JANUS_ADMIN_WS || 'ws://127.0.0.1:7188';

export const ECHOTEST = 'janus.plugin.echotest';

/** Hard cap for a whole test (node:test `timeout` option). */
export const TEST_TIMEOUT_MS = Number(process.env.E2E_TEST_TIMEOUT_MS || 60_000);
/** Cap for a single protocol step (connect, create, attach, ...). */
export const STEP_TIMEOUT_MS = Number(process.env.E2E_STEP_TIMEOUT_MS || 10_000);

/**
 * Race a promise against a timer; rejects with a message naming the step.
 * The timer is always cleared so it never keeps the event loop alive.
 */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}

/** Run fn() and swallow (but log) any error: for best-effort cleanup in finally/after. */
export async function bestEffort(what, fn, ms = 5_000) {
  try {
    await withTimeout(fn(), ms, `cleanup: ${what}`);
  } catch (e) {
    console.error(`[e2e] cleanup "${what}" failed: ${e && e.message}`);
  }
}
