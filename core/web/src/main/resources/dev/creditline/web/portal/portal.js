// The athlete portal: their own balance (and what can pay now), renewals, products with the classes they pay for,
// expirations and credit log. Only /v1/me calls: an athlete key reaches nothing else.
import { api, session, ApiError } from '/dashboard/shared/api.js';
import { h, show } from '/dashboard/shared/dom.js';
import { t, languageSwitch } from '/dashboard/shared/i18n.js';
import { signInScreen, rememberedStudio, rememberStudio } from '/dashboard/shared/signin.js';
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

async function signOut() {
  if (session.csrf()) {
    await api('/v1/auth/sign-out', { method: 'POST', key: null }).catch(() => null);
  }
  session.signOut();
  studio = null;
  clearHash();
  draw();
}

/** Drops a used link's token from the address, without a hashchange (which would draw again). */
function clearHash() {
  history.replaceState(null, '', location.pathname + location.search);
}

/** Signed in with a session (a sign-in link, or a session of this browser): its CSRF token, then the credits. */
function started(signedIn) {
  session.started(signedIn.csrfToken);
  rememberStudio(signedIn.studio.id);
  clearHash();
  draw();
}

/** The form that emails a one-time sign-in link; its answer is the same whether or not the address is known. */
function linkForm() {
  const message = h('p', { id: 'link-sent', role: 'status', 'aria-live': 'polite' });
  const studioId = h('input', { id: 'link-studio', required: true, value: rememberedStudio(), spellcheck: 'false' });
  const email = h('input', { id: 'link-email', type: 'email', required: true, autocomplete: 'email' });
  return h('form', { class: 'stack', id: 'link-form', onsubmit: async e => {
    e.preventDefault();
    try {
      await api('/v1/auth/sign-in-link', { method: 'POST', key: null,
        body: { studioId: studioId.value.trim(), email: email.value.trim() } });
      rememberStudio(studioId.value.trim());
      message.textContent = t('portal.linkSent');
    } catch (err) {
      message.textContent = err instanceof ApiError && err.status === 429
        ? t('signin.tooMany', { seconds: err.problem.retryAfter ?? 60 }) : t('error.generic', { detail: err.message });
    }
  } },
  h('h3', {}, t('portal.linkTitle')),
  h('div', { class: 'field' }, h('label', { for: 'link-studio' }, t('signin.studio')), studioId),
  h('div', { class: 'field' }, h('label', { for: 'link-email' }, t('signin.email')), email),
  h('button', { type: 'submit', id: 'link-submit' }, t('portal.linkSubmit')), message);
}

/** A sign-in link (#/signin/<token>) signs the athlete in once. */
async function redeem(token) {
  try {
    started(await api('/v1/auth/redeem-link', { method: 'POST', key: null, body: { token } }));
  } catch (e) {
    clearHash();
    signInScreen(main, { help: t('signin.athleteKeyHelp'), check, extra: linkForm() });
    main.prepend(h('p', { class: 'notice error', role: 'alert', id: 'link-error' }, t('portal.linkInvalid')));
  }
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
  if (!session.signedIn()) {
    studio = null;
    header();
    const token = location.hash.match(/^#\/signin\/(.+)$/);
    if (token) return redeem(decodeURIComponent(token[1]));
    const current = await api('/v1/auth/session', { key: null }).catch(() => null);
    if (current && current.role === 'athlete') return started(current);
    signInScreen(main, { help: t('signin.athleteKeyHelp'), check, extra: linkForm() });
    return;
  }
  try {
    if (!studio) studio = await api('/v1/me/studio');
    header();
    const fmt = formats(studio);
    const [me, view, log, subscriptions] = await Promise.all([api('/v1/me'), api('/v1/me/credits'),
      api('/v1/me/credit-logs?limit=50'), api('/v1/me/subscriptions')]);
    show(main,
      h('h2', { id: 'portal-hello' }, t('portal.hello', { name: me.name })),
      h('section', { 'aria-labelledby': 'portal-balance-title' },
        h('h3', { id: 'portal-balance-title' }, t('portal.balance')),
        h('p', { class: 'balance', id: 'portal-total' }, t('member.total', { total: view.total, available: view.available })),
        view.unlimitedUntil ? h('p', {}, t('member.unlimitedUntil', { date: fmt.at(view.unlimitedUntil) })) : null),
      renewals(subscriptions.items, view, fmt),
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

/** Her subscriptions: when each renews (or ends), or why it does not pay now. */
function renewals(subscriptions, view, fmt) {
  const names = Object.fromEntries(view.accounts.map(a => [a.account, a.name]));
  const line = sub => {
    const product = sub.productName || names[sub.productId] || sub.productId;
    if (sub.status === 'active') {
      return t(sub.cancelAtPeriodEnd ? 'portal.ends' : 'portal.renews', { product, date: fmt.at(sub.currentPeriodEnd) });
    }
    return t('portal.inactive', { product, status: t(`subscription.${sub.status}`) });
  };
  return h('section', { 'aria-labelledby': 'portal-renewals-title' },
    h('h3', { id: 'portal-renewals-title' }, t('portal.renewals')),
    subscriptions.length ? h('ul', { class: 'plain', id: 'portal-renewals' }, subscriptions.map(sub => h('li', {},
      line(sub)))) : h('p', { id: 'portal-renewals' }, t('portal.noRenewals')));
}

// A sign-in link opened in this tab changes only the address's fragment.
window.addEventListener('hashchange', draw);
draw();
