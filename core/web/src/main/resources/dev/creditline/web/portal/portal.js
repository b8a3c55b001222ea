// The athlete portal: their own balance (and what can pay now), products, expirations and credit log. Only /v1/me
// calls: an athlete key reaches nothing else.
import { api, session, ApiError } from '/dashboard/shared/api.js';
import { h, show } from '/dashboard/shared/dom.js';
import { t, languageSwitch } from '/dashboard/shared/i18n.js';
import { signInScreen } from '/dashboard/shared/signin.js';
import { formats, credits } from '/dashboard/shared/format.js';
import { accountPanel, logList } from '/dashboard/shared/credits.js';

const main = document.getElementById('main');
let studio = null;

function header() {
  document.getElementById('title').textContent = studio ? studio.name : t('app.portal');
  document.title = t('app.portal');
  show(document.getElementById('tools'), languageSwitch(h, draw),
    studio && h('button', { type: 'button', class: 'secondary', id: 'signout', onclick: signOut }, t('signout')));
}

function signOut() {
  session.signOut();
  studio = null;
  draw();
}

async function check(key) {
  try {
    studio = await api('/v1/me/studio', { key });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return t('signin.wrongKey');
    if (e instanceof ApiError && e.status === 403) return t('signin.staffKey');
    return t('error.generic', { detail: e.message });
  }
  session.signIn(key);
  draw();
  return null;
}

async function draw() {
  if (!session.key()) {
    studio = null;
    header();
    signInScreen(main, { help: t('signin.athleteKeyHelp'), check });
    return;
  }
  try {
    if (!studio) studio = await api('/v1/me/studio');
    header();
    const fmt = formats(studio);
    const [me, view, log] = await Promise.all([api('/v1/me'), api('/v1/me/credits'),
      api('/v1/me/credit-logs?limit=50')]);
    show(main,
      h('h2', { id: 'portal-hello' }, t('portal.hello', { name: me.name })),
      h('section', { 'aria-labelledby': 'portal-balance-title' },
        h('h3', { id: 'portal-balance-title' }, t('portal.balance')),
        h('p', { class: 'balance', id: 'portal-total' }, t('member.total', { total: view.total, available: view.available })),
        view.unlimitedUntil ? h('p', {}, t('member.unlimitedUntil', { date: fmt.at(view.unlimitedUntil) })) : null),
      h('section', { 'aria-labelledby': 'portal-accounts-title' },
        h('h3', { id: 'portal-accounts-title' }, t('portal.accounts')),
        view.accounts.map(account => h('article', { class: 'account-card' },
          h('h4', {}, `${account.name} (${credits(account.balance)})`), accountPanel(account, fmt, 5)))),
      h('section', { 'aria-labelledby': 'portal-log-title' },
        h('h3', { id: 'portal-log-title' }, t('member.log')), logList(log.items, fmt)));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signOut();
    show(main, h('p', { class: 'notice error', role: 'alert' }, t('error.generic', { detail: e.message })));
  }
}

draw();
