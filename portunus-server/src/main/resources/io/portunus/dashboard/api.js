// The dashboard's only ways to the server: Admin API requests (with the admin secret, kept in
// this tab's session storage) and the live feed (POST /dashboard/feed, the secret in the body).

const SECRET_KEY = 'portunus.adminSecret';
const PATH_KEY = 'portunus.adminPath';

export const session = {
  get secret() { return sessionStorage.getItem(SECRET_KEY); },
  get adminPath() { return sessionStorage.getItem(PATH_KEY) || '/admin'; },
  save(secret, adminPath) {
    sessionStorage.setItem(SECRET_KEY, secret);
    sessionStorage.setItem(PATH_KEY, adminPath || '/admin');
  },
  clear() { sessionStorage.removeItem(SECRET_KEY); },
};

/** An Admin API error reply, with Janus's code and reason. */
export class AdminError extends Error {
  constructor(code, reason) { super(`${code}: ${reason}`); this.code = code; }
}

let transactions = 0;

/** One Admin API request; resolves with the reply, rejects with AdminError on an error reply. */
export async function admin(janus, fields = {}, ids = {}) {
  let path = session.adminPath;
  if (ids.sessionId) path += '/' + ids.sessionId;
  if (ids.handleId) path += '/' + ids.handleId;
  const body = { janus, transaction: 'dash-' + (++transactions), admin_secret: session.secret, ...fields };
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const reply = await response.json();
  if (reply.janus === 'error') throw new AdminError(reply.error.code, reply.error.reason);
  return reply;
}

/**
 * The live feed: every event as handlers get it, one JSON object per line. `onEvent` gets each
 * event, `onStatus` the feed's state ({ state, events, dropped }). Reconnects while `active()`.
 */
export function startFeed(onEvent, onStatus, active) {
  const status = { state: 'connecting', events: 0, dropped: 0 };
  let controller = null;
  async function run() {
    controller = new AbortController();
    let response;
    try {
      response = await fetch('/dashboard/feed', { method: 'POST', signal: controller.signal,
        headers: { 'content-type': 'application/json' }, body: JSON.stringify({ admin_secret: session.secret }) });
    } catch (e) {
      return retry('unreachable');
    }
    if (!response.ok) {
      // A wrong secret gets 403 and no feed: nothing to retry with.
      status.state = 'refused (' + response.status + ')';
      onStatus(status);
      return;
    }
    status.state = 'live';
    onStatus(status);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        let nl;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (!line) continue;
          const message = JSON.parse(line);
          if (message.feed) {
            if (message.feed.dropped !== undefined) status.dropped = message.feed.dropped;
            onStatus(status);
            continue;
          }
          status.events++;
          onEvent(message);
          if (status.events % 5 === 0) onStatus(status);
        }
      }
    } catch (e) {
      // aborted or cut: fall through to a retry
    }
    retry('ended');
  }
  function retry(why) {
    status.state = why;
    onStatus(status);
    if (active()) setTimeout(() => active() && run(), 2000);
  }
  run();
  return { stop() { if (controller) controller.abort(); }, status };
}
