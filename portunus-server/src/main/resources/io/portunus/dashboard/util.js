// Small helpers the views share: escaping, formatting, a JSON tree, timers that stop with the view.

export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

export function kbps(bps) {
  if (bps === undefined || bps === null) return '';
  return (bps / 1000).toFixed(bps >= 100000 ? 0 : 1);
}

export function time(micros) {
  if (!micros) return '';
  return new Date(micros / 1000).toISOString().replace('T', ' ').slice(0, 23);
}

export function duration(ms) {
  if (ms === undefined) return '';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function stateClass(s) {
  return s ? 'state-' + String(s).replace(/[^a-z]/g, '') : '';
}

/** A collapsible tree of a JSON value (handle_info). */
export function tree(value, name = 'handle_info', open = true) {
  const details = document.createElement('details');
  details.className = 'tree';
  details.open = open;
  const summary = document.createElement('summary');
  summary.textContent = name;
  details.append(summary);
  for (const [k, v] of Object.entries(value || {})) {
    if (v !== null && typeof v === 'object') {
      details.append(tree(v, k, false));
    } else {
      const line = document.createElement('div');
      line.className = 'kv';
      line.innerHTML = `<span class="key">${esc(k)}</span>: ${esc(JSON.stringify(v))}`;
      details.append(line);
    }
  }
  return details;
}

/** Calls `fn` now and every `ms` until the returned function is called. */
export function every(ms, fn) {
  fn();
  const id = setInterval(fn, ms);
  return () => clearInterval(id);
}

/** Runs `fn` at most once per `ms`, at the end of a burst of calls. */
export function debounce(ms, fn) {
  let timer = null;
  return () => {
    if (timer) return;
    timer = setTimeout(() => { timer = null; fn(); }, ms);
  };
}

const TYPE_NAMES = { 1: 'session', 2: 'handle', 4: 'external', 8: 'jsep', 16: 'webrtc', 32: 'media', 64: 'plugin', 128: 'transport', 256: 'core' };

/** One line of a timeline: what an event says, briefly. */
export function describeEvent(e) {
  const body = e.event || {};
  const type = TYPE_NAMES[e.type] || String(e.type);
  switch (e.type) {
    case 2: return `handle ${body.name} (${body.plugin || ''})`;
    case 8: return `JSEP ${body.owner} ${body.jsep ? body.jsep.type : ''}`;
    case 16:
      if (body.ice) return `ICE ${body.ice}`;
      if (body.dtls) return `DTLS ${body.dtls}`;
      if (body.connection) return body.connection === 'hangup' ? `hangup: ${body.reason || ''}` : body.connection;
      if (body['local-candidate']) return `ICE local candidate ${body['local-candidate']}`;
      if (body['remote-candidate']) return `ICE remote candidate ${body['remote-candidate']}`;
      if (body['selected-pair']) return `ICE selected pair ${body['selected-pair']}`;
      return 'webrtc ' + JSON.stringify(body);
    case 32:
      if (body.media && body.receiving !== undefined) return `media ${body.media} ${body.receiving ? 'receiving' : 'not receiving'}`;
      if (body['slow_link'] !== undefined || body.direction) return `slow link ${body.media || ''} ${body.direction || ''}`;
      return 'media ' + JSON.stringify(body).slice(0, 120);
    case 64: return `plugin ${body.plugin}: ${JSON.stringify(body.data).slice(0, 160)}`;
    default: return `${type} ${JSON.stringify(body).slice(0, 160)}`;
  }
}
