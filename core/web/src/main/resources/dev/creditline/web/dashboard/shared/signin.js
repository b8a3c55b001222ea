import { h, show } from './dom.js';
import { t } from './i18n.js';

/**
 * The sign-in form with an API key (staff keys for the dashboard, athlete keys for the portal). `check(key)` answers
 * null when the key is right, else the message to show.
 */
export function signInScreen(main, { help, check }) {
  const input = h('input', { id: 'signin-key', name: 'key', type: 'password', autocomplete: 'off', required: true,
    'aria-describedby': 'signin-help', spellcheck: 'false' });
  const message = h('div', { id: 'signin-error', role: 'alert' });
  const form = h('form', { class: 'stack', onsubmit: async e => {
    e.preventDefault();
    const problem = await check(input.value.trim());
    if (problem) show(message, h('p', { class: 'notice error' }, problem));
  } },
  h('div', { class: 'field' }, h('label', { for: 'signin-key' }, t('signin.key')), input,
    h('p', { class: 'help', id: 'signin-help' }, help)),
  h('button', { type: 'submit', id: 'signin-submit' }, t('signin.submit')));
  show(main, h('h2', {}, t('signin.title')), form, message);
  input.focus();
}
