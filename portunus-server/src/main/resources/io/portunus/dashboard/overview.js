// The server overview: info, uptime, counters, event handlers with their queues, the live
// feed's own counters, the accept-new-sessions switch and the log level.
import { admin } from './api.js';
import { esc, every } from './util.js';

function card(k, v, id) {
  return `<div class="card"${id ? ` id="${id}"` : ''}><div class="v">${esc(v)}</div><div class="k">${esc(k)}</div></div>`;
}

function uptime(s) {
  const d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60;
  return (d ? d + 'd ' : '') + (h ? h + 'h ' : '') + m + 'min ' + (s % 60) + 's';
}

export function overview(view) {
  view.innerHTML = `<h2>Server</h2><div id="overview-info" class="cards"></div>
    <h2>Now</h2><div id="overview-counters" class="cards"></div>
    <div class="actions">
      <label><input type="checkbox" id="accept-sessions"> accept new sessions</label>
      <label>log level <select id="log-level">${[0, 1, 2, 3, 4, 5, 6, 7].map(l => `<option>${l}</option>`).join('')}</select></label>
    </div>
    <h2>Event handlers</h2>
    <table id="handlers-table"><thead><tr><th>handler</th><th>events</th><th class="num">queued</th><th class="num">queue size</th>
      <th class="num">delivered</th><th class="num">dropped</th><th class="num">failed attempts</th></tr></thead><tbody></tbody></table>
    <h2>Live feed</h2><div id="overview-feed" class="cards"></div>`;
  let disposed = false;

  async function load() {
    try {
      const [info, status] = await Promise.all([admin('info'), admin('dashboard_status')]);
      if (disposed) return;
      const s = status.status;
      view.querySelector('#overview-info').innerHTML = card('server', info.name + ' ' + info.version_string)
        + card('server name', info['server-name']) + card('local IP', info['local-ip'])
        + card('uptime', uptime(s.uptime_seconds), 'uptime') + card('session timeout', info['session-timeout'] + ' s')
        + card('plugins', Object.keys(info.plugins || {}).join(', '))
        + card('transports', Object.keys(info.transports || {}).join(', '));
      view.querySelector('#overview-counters').innerHTML = card('sessions', s.sessions, 'count-sessions')
        + card('handles', s.handles, 'count-handles') + card('PeerConnections', s.peerconnections)
        + card('calls that ended (kept)', s.ended_calls);
      const accept = view.querySelector('#accept-sessions');
      if (document.activeElement !== accept) accept.checked = s.accepting_new_sessions;
      const level = view.querySelector('#log-level');
      if (document.activeElement !== level) level.value = String(s.log_level);
      view.querySelector('#handlers-table tbody').innerHTML = s.event_handlers.length === 0
        ? '<tr><td colspan="7" class="muted">no event handler loaded</td></tr>'
        : s.event_handlers.map(h => `<tr><td>${esc(h.name)}</td><td>${esc(h.events)}</td><td class="num">${h.queued}</td>
          <td class="num">${h.queue_size}</td><td class="num">${h.delivered}</td><td class="num">${h.dropped}</td>
          <td class="num">${h.failed_attempts}</td></tr>`).join('');
      const f = s.live_feed;
      view.querySelector('#overview-feed').innerHTML = card('browsers', f.browsers + ' / ' + f.max_browsers)
        + card('events sent', f.published) + card('lost by slow browsers', f.browser_dropped)
        + card('lost at intake', f.intake_dropped);
    } catch (e) {
      view.querySelector('#overview-info').textContent = 'error: ' + e.message;
    }
  }

  view.querySelector('#accept-sessions').addEventListener('change', async e => {
    try { await admin('accept_new_sessions', { accept: e.target.checked }); } catch (err) { alert(err.message); }
    load();
  });
  view.querySelector('#log-level').addEventListener('change', async e => {
    try { await admin('set_log_level', { level: Number(e.target.value) }); } catch (err) { alert(err.message); }
    load();
  });
  const stop = every(2000, load);
  return { dispose() { disposed = true; stop(); } };
}
