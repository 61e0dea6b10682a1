// Sign-in, the router between views, and the live feed every view listens to.
import { admin, session, startFeed, AdminError } from './api.js';
import { overview } from './overview.js';
import { sessions } from './sessions.js';
import { handlePage } from './handle.js';
import { endedCalls, endedCall } from './ended.js';
import { rooms } from './rooms.js';

const $ = id => document.getElementById(id);
// What the tests (and a curious operator in the console) can look at.
const state = window.portunusDashboard = { signedIn: false, view: null, feed: null, plots: {} };
let current = null;

function showSignIn(message) {
  state.signedIn = false;
  $('app').hidden = true;
  $('view').replaceChildren();
  $('signin').hidden = false;
  $('signin-error').textContent = message || '';
}

/** Checks the secret with a request that needs it; only then does anything else appear. */
async function signIn() {
  try {
    await admin('get_status');
  } catch (e) {
    session.clear();
    showSignIn(e instanceof AdminError && e.code === 403 ? 'Wrong admin secret' : 'Cannot reach the Admin API: ' + e.message);
    return;
  }
  state.signedIn = true;
  $('signin').hidden = true;
  $('app').hidden = false;
  let lastPaint = 0;
  state.feed = startFeed(event => current && current.onEvent && current.onEvent(event), status => {
    const now = Date.now();
    if (now - lastPaint < 500 && status.state === 'live') return;
    lastPaint = now;
    $('feed-status').textContent = `feed: ${status.state} · ${status.events} events` + (status.dropped ? ` · ${status.dropped} lost` : '');
  }, () => state.signedIn);
  route();
}

const ROUTES = [
  [/^#\/overview$/, () => overview],
  [/^#\/sessions$/, () => sessions],
  [/^#\/handle\/(\d+)\/(\d+)$/, () => handlePage],
  [/^#\/ended$/, () => endedCalls],
  [/^#\/ended\/(\d+)$/, () => endedCall],
  [/^#\/rooms$/, () => rooms],
];

function route() {
  if (!state.signedIn) return;
  if (current && current.dispose) current.dispose();
  current = null;
  const hash = location.hash || '#/overview';
  for (const a of document.querySelectorAll('header nav a')) a.classList.toggle('active', hash.startsWith(a.getAttribute('href')));
  const view = $('view');
  view.replaceChildren();
  for (const [pattern, make] of ROUTES) {
    const m = hash.match(pattern);
    if (m) {
      state.view = hash;
      current = make()(view, m.slice(1)) || null;
      return;
    }
  }
  location.hash = '#/overview';
}

$('signin').addEventListener('submit', e => {
  e.preventDefault();
  session.save($('secret').value, $('admin-path').value.trim());
  $('secret').value = '';
  signIn();
});
$('signout').addEventListener('click', () => {
  session.clear();
  if (state.feed) state.feed.stop();
  if (current && current.dispose) current.dispose();
  current = null;
  showSignIn('');
});
window.addEventListener('hashchange', route);

if (session.secret) signIn(); else showSignIn('');
