// The staff dashboard: a hash router over the screens (members, one member, the catalogue, the settings, the
// plugins' pages), signed in with an account or an API key; signed out, a studio can be set up with the admin token.
import { api, session, ApiError } from './shared/api.js';
import { h, show } from './shared/dom.js';
import { t, languageSwitch } from './shared/i18n.js';
import { signInScreen, passwordScreen, rememberStudio } from './shared/signin.js';
import { membersScreen } from './members.js';
import { memberScreen } from './member.js';
import { pluginPages, pluginScreen } from './plugins.js';
import { settingsScreen } from './settings.js';
import { catalogueScreen } from './catalogue.js';
import { setupScreen } from './setup.js';

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
      h('a', { href: `#/plugins/${encodeURIComponent(page.pluginId)}/${encodeURIComponent(page.slug)}` }, page.title))),
    h('li', {}, h('a', { href: '#/catalogue' }, t('catalogue.title'))),
    h('li', {}, h('a', { href: '#/settings' }, t('settings.title')))));
}

async function signOut() {
  if (session.csrf()) {
    // The server ends the session and clears its cookie; signed out here whatever it answers.
    await api('/v1/auth/sign-out', { method: 'POST', key: null }).catch(() => null);
  }
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
  rememberStudio(app.studio.id);
  location.hash = '#/members';
  route();
  return null;
}

/** Signed in with a session: what the server answered (its CSRF token, the studio), then the members. */
function started(signedIn, stayHere = false) {
  session.started(signedIn.csrfToken);
  rememberStudio(signedIn.studio.id);
  app.studio = signedIn.studio;
  app.pages = null;
  if (!stayHere) location.hash = '#/members';
  route();
  return null;
}

/** A problem of a sign-in or an invitation's acceptance, in words. */
function signInProblem(e) {
  if (!(e instanceof ApiError)) return t('error.generic', { detail: e.message });
  if (e.status === 401) return t('signin.wrongPassword');
  if (e.status === 429) return t('signin.tooMany', { seconds: e.problem.retryAfter ?? 60 });
  if (e.status === 422 && e.problem.errors?.[0]?.field === 'token') return t('accept.badToken');
  if (e.status === 422) return e.problem.errors?.map(err => err.message).join('; ') || e.message;
  return t('error.generic', { detail: e.message });
}

async function passwordSignIn(values) {
  try {
    return started(await api('/v1/auth/sign-in', { method: 'POST', body: values, key: null }));
  } catch (e) {
    return signInProblem(e);
  }
}

/** An invitation's link (#/accept/<token>): the person sets a password and is signed in. */
function acceptScreen(token) {
  passwordScreen(main, { title: t('accept.title'), intro: t('accept.intro'), submit: async values => {
    try {
      return started(await api('/v1/auth/accept-invitation', { method: 'POST', key: null,
        body: { token, password: values.password, ...(values.name ? { name: values.name } : {}) } }));
    } catch (e) {
      return signInProblem(e);
    }
  } });
}

/** "#/members/mem_1" → ["members", "mem_1"]; "#/members?q=anna" → ["members"] with q. */
function parseHash() {
  const [path, search] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(search) };
}

async function route() {
  if (!session.signedIn()) {
    app.studio = null;
    header();
    const { parts } = parseHash();
    if (parts[0] === 'accept' && parts[1]) return acceptScreen(parts[1]);
    if (parts[0] === 'setup') return setupScreen(main, check);
    // A session of this browser (signed in in another tab) needs only its CSRF token.
    const current = await api('/v1/auth/session', { key: null }).catch(() => null);
    if (current && current.role !== 'athlete') return started(current, true);
    signInScreen(main, { help: t('signin.keyHelp'), check, password: passwordSignIn,
      extra: h('p', {}, h('a', { href: '#/setup', id: 'setup-link' }, t('studio.newLink'))) });
    return;
  }
  try {
    if (!app.studio) app.studio = await api('/v1/studio');
    if (!app.pages) app.pages = await pluginPages(api);
    header();
    const { parts, params } = parseHash();
    if (parts[0] === 'members' && parts[1]) await memberScreen(app, parts[1]);
    else if (parts[0] === 'plugins' && parts[2]) await pluginScreen(app, app.pages, parts[1], parts[2]);
    else if (parts[0] === 'settings') await settingsScreen(app);
    else if (parts[0] === 'catalogue') await catalogueScreen(app);
    else await membersScreen(app, params);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signOut();
    show(main, h('p', { class: 'notice error', role: 'alert' }, t('error.generic', { detail: e.message })));
  }
}

window.addEventListener('hashchange', route);
route();
