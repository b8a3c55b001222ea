// Setting up: a studio created with the server's admin token (printed at its first start), its owner key shown the
// one time it exists, then the owner signed in with it. The admin token is used for this call only and kept nowhere.
import { api, ApiError } from './shared/api.js';
import { h, show } from './shared/dom.js';
import { t } from './shared/i18n.js';
import { problemText } from './shared/actions.js';

function field(input, label) {
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
}

/** `signIn(ownerKey)` signs in as the studio's owner (answers null, or the problem to show). */
export function setupScreen(main, signIn) {
  const message = h('div', { id: 'setup-error', role: 'alert' });
  const admin = h('input', { id: 'setup-admin', type: 'password', required: true, autocomplete: 'off',
    spellcheck: 'false' });
  const name = h('input', { id: 'setup-name', required: true, maxlength: '200' });
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : [here];
  const timezone = h('select', { id: 'setup-timezone', required: true },
    (zones.includes(here) ? zones : [here, ...zones]).map(zone => h('option', { value: zone, selected: zone === here },
      zone)));
  const currency = h('input', { id: 'setup-currency', required: true, value: 'EUR', pattern: '[A-Za-z]{3}',
    maxlength: '3', size: '4', spellcheck: 'false' });
  const testMode = h('input', { id: 'setup-test-mode', type: 'checkbox' });
  show(main, h('h2', {}, t('studio.new')), h('p', {}, t('studio.intro')), message,
    h('form', { class: 'stack', id: 'setup-form', onsubmit: async e => {
      e.preventDefault();
      try {
        const studio = await api('/admin/studios', { method: 'POST', key: admin.value.trim(), body: {
          name: name.value.trim(), timezone: timezone.value, currency: currency.value.trim().toUpperCase(),
          testMode: testMode.checked } });
        created(main, studio, signIn);
      } catch (err) {
        show(message, h('p', { class: 'notice error' }, err instanceof ApiError && err.status === 401
          ? t('studio.wrongAdmin') : problemText(err)));
      }
    } },
    field(admin, t('studio.admin')), field(name, t('studio.name')), field(timezone, t('studio.timezone')),
    field(currency, t('studio.currency')),
    h('div', { class: 'field' }, h('label', { for: 'setup-test-mode' }, testMode, ' ', t('studio.testMode'))),
    h('button', { type: 'submit', id: 'setup-submit' }, t('studio.submit'))),
    h('p', {}, h('a', { href: '#/' }, t('studio.back'))));
}

/** The new studio: its id and owner key (shown once, to copy), and a button that signs in with the key. */
function created(main, studio, signIn) {
  const message = h('div', { id: 'setup-error', role: 'alert' });
  const key = h('input', { id: 'setup-owner-key', readonly: true, value: studio.ownerKey, size: '50',
    spellcheck: 'false', onfocus: e => e.target.select() });
  show(main, h('h2', {}, t('studio.new')),
    h('p', { class: 'notice ok', id: 'setup-done' }, t('studio.created', { name: studio.name, id: studio.id })),
    field(key, t('studio.ownerKey')), message,
    h('button', { type: 'button', id: 'setup-signin', onclick: async () => {
      const problem = await signIn(studio.ownerKey);
      if (problem) show(message, h('p', { class: 'notice error' }, problem));
    } }, t('studio.signIn')));
}
