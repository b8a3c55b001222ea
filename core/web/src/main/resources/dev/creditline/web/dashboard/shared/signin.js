import { h, show } from './dom.js';
import { t } from './i18n.js';

const STUDIO = 'creditline.studio';

/** The studio a person signs in to: the address's ?studio=, else the one they last signed in to on this browser. */
export function rememberedStudio() {
  return new URLSearchParams(location.search).get('studio') || localStorage.getItem(STUDIO) || '';
}

export function rememberStudio(id) {
  if (id) localStorage.setItem(STUDIO, id);
}

function field(id, label, attributes, help) {
  const input = h('input', { id, name: id, ...attributes, 'aria-describedby': help ? `${id}-help` : null });
  return [input, h('div', { class: 'field' }, h('label', { for: id }, label), input,
    help && h('p', { class: 'help', id: `${id}-help` }, help))];
}

/**
 * The sign-in screen: with email and password when `password` is given (the person's account), and with an API key
 * (staff keys for the dashboard, athlete keys for the portal). `check(key)` and `password({studioId, email,
 * password})` answer null when signed in, else the message to show. `extra` is shown below (a portal's link form).
 */
export function signInScreen(main, { help, check, password, extra }) {
  const message = h('div', { id: 'signin-error', role: 'alert' });
  const fail = problem => { if (problem) show(message, h('p', { class: 'notice error' }, problem)); };
  const forms = [];
  if (password) {
    const [studio, studioField] = field('signin-studio', t('signin.studio'),
      { required: true, autocomplete: 'organization', value: rememberedStudio(), spellcheck: 'false' },
      t('signin.studioHelp'));
    const [email, emailField] = field('signin-email', t('signin.email'),
      { type: 'email', required: true, autocomplete: 'username' });
    const [secret, secretField] = field('signin-password', t('signin.password'),
      { type: 'password', required: true, autocomplete: 'current-password' });
    forms.push(h('form', { class: 'stack', id: 'signin-account', onsubmit: async e => {
      e.preventDefault();
      fail(await password({ studioId: studio.value.trim(), email: email.value.trim(), password: secret.value }));
    } }, studioField, emailField, secretField,
    h('button', { type: 'submit', id: 'signin-account-submit' }, t('signin.accountSubmit'))));
  }
  const [input, keyField] = field('signin-key', t('signin.key'),
    { type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' }, help);
  forms.push(h('form', { class: 'stack', id: 'signin-with-key', onsubmit: async e => {
    e.preventDefault();
    fail(await check(input.value.trim()));
  } }, password && h('h3', {}, t('signin.orKey')), keyField,
  h('button', { type: 'submit', id: 'signin-submit' }, t('signin.submit'))));
  show(main, h('h2', {}, t('signin.title')), message, forms, extra);
}

/** The form that sets a password for an invitation (or an athlete's link page): `submit(values)` as above. */
export function passwordScreen(main, { title, intro, submit }) {
  const message = h('div', { id: 'signin-error', role: 'alert' });
  const [name, nameField] = field('accept-name', t('accept.name'), { autocomplete: 'name' });
  const [secret, secretField] = field('accept-password', t('accept.password'),
    { type: 'password', required: true, minlength: '10', autocomplete: 'new-password' }, t('accept.passwordHelp'));
  show(main, h('h2', {}, title), h('p', {}, intro), message, h('form', { class: 'stack', id: 'accept-form',
    onsubmit: async e => {
      e.preventDefault();
      const problem = await submit({ name: name.value.trim(), password: secret.value });
      if (problem) show(message, h('p', { class: 'notice error' }, problem));
    } }, nameField, secretField, h('button', { type: 'submit', id: 'accept-submit' }, t('accept.submit'))));
}
