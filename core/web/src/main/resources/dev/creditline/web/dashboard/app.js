// The staff dashboard: a hash router over the screens (members, one member, the plugins' pages), signed in with an
// API key.
import { api, session, ApiError } from './shared/api.js';
import { h, show } from './shared/dom.js';
import { t, languageSwitch } from './shared/i18n.js';
import { signInScreen } from './shared/signin.js';
import { membersScreen } from './members.js';
import { memberScreen } from './member.js';
import { pluginPages, pluginScreen } from './plugins.js';

const main = document.getElementById('main');
const app = { studio: null, pages: null, main, refresh: route };

function header() {
  document.getElementById('title').textContent = app.studio ? app.studio.name : t('app.dashboard');
  document.title = app.studio ? `${app.studio.name} · ${t('app.dashboard')}` : t('app.dashboard');
  show(document.getElementById('tools'),
    languageSwitch(h, () => { app.pages = null; route(); }),
    app.studio && h('button', { type: 'button', class: 'secondary', id: 'signout', onclick: signOut }, t('signout')));
  show(document.getElementById('nav'), app.studio && h('ul', {},
    h('li', {}, h('a', { href: '#/members' }, t('members.title'))),
    (app.pages || []).map(page => h('li', {},
      h('a', { href: `#/plugins/${encodeURIComponent(page.pluginId)}/${encodeURIComponent(page.slug)}` }, page.title)))));
}

function signOut() {
  session.signOut();
  app.studio = null;
  app.pages = null;
  location.hash = '';
  route();
}

async function check(key) {
  try {
    app.studio = await api('/v1/studio', { key });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return t('signin.wrongKey');
    if (e instanceof ApiError && e.status === 403) return t('signin.athleteKey');
    return t('error.generic', { detail: e.message });
  }
  session.signIn(key);
  location.hash = '#/members';
  route();
  return null;
}

/** "#/members/mem_1" → ["members", "mem_1"]; "#/members?q=anna" → ["members"] with q. */
function parseHash() {
  const [path, search] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(search) };
}

async function route() {
  if (!session.key()) {
    app.studio = null;
    header();
    signInScreen(main, { help: t('signin.keyHelp'), check });
    return;
  }
  try {
    if (!app.studio) app.studio = await api('/v1/studio');
    if (!app.pages) app.pages = await pluginPages(api);
    header();
    const { parts, params } = parseHash();
    if (parts[0] === 'members' && parts[1]) await memberScreen(app, parts[1]);
    else if (parts[0] === 'plugins' && parts[2]) await pluginScreen(app, app.pages, parts[1], parts[2]);
    else await membersScreen(app, params);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signOut();
    show(main, h('p', { class: 'notice error', role: 'alert' }, t('error.generic', { detail: e.message })));
  }
}

window.addEventListener('hashchange', route);
route();
