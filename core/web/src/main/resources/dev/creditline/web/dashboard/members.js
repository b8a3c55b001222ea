// Members: search by name, email or tag on the server, page by page, with each member's balance at a glance; and
// a new member added, then opened.
import { api, query, idempotencyKey } from './shared/api.js';
import { problemText } from './shared/actions.js';
import { h, show } from './shared/dom.js';
import { t } from './shared/i18n.js';
import { credits } from './shared/format.js';

const PAGE = 25;

export async function membersScreen(app, params) {
  const q = h('input', { id: 'members-q', name: 'q', type: 'search', value: params.get('q') || '' });
  const tag = h('input', { id: 'members-tag', name: 'tag', value: params.get('tag') || '' });
  const results = h('div', { id: 'members-results', 'aria-live': 'polite' });
  const form = h('form', { class: 'inline', role: 'search', onsubmit: e => {
    e.preventDefault();
    // The search goes into the address, so Back and a reload keep it.
    location.hash = '#/members' + query({ q: q.value.trim(), tag: tag.value.trim() });
  } },
  h('div', { class: 'field' }, h('label', { for: 'members-q' }, t('members.search')), q),
  h('div', { class: 'field' }, h('label', { for: 'members-tag' }, t('members.tag')), tag),
  h('button', { type: 'submit', id: 'members-submit' }, t('members.submit')));
  show(app.main, h('h2', {}, t('members.title')), form, results, addMemberForm());

  async function load(cursor) {
    show(results, h('p', {}, t('loading')));
    // Each item carries the member's balance: one request per page.
    const page = await api('/v1/members' + query({ q: params.get('q'), tag: params.get('tag'), limit: PAGE, cursor }));
    if (!page.items.length) {
      show(results, h('p', {}, t('members.none')));
      return;
    }
    const rows = page.items.map(m => {
      const balance = m.credits.unlimitedUntil ? `${m.credits.total} + ∞` : credits(m.credits.total);
      return h('tr', {},
        h('td', {}, h('a', { href: `#/members/${encodeURIComponent(m.id)}` }, m.name)),
        h('td', {}, m.email || ''),
        h('td', {}, (m.tags || []).map(tg => h('span', { class: 'tag' }, tg))),
        h('td', { class: 'num' }, balance),
        h('td', { class: 'num' }, credits(m.credits.available)));
    });
    show(results,
      h('table', { id: 'members-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('members.name')),
          h('th', { scope: 'col' }, t('members.email')), h('th', { scope: 'col' }, t('members.tags')),
          h('th', { scope: 'col', class: 'num' }, t('members.balance')),
          h('th', { scope: 'col', class: 'num' }, t('members.available')))),
        h('tbody', {}, rows)),
      h('div', { class: 'pager' },
        cursor && h('button', { type: 'button', class: 'secondary', onclick: () => turn(null) }, t('members.first')),
        page.next && h('button', { type: 'button', id: 'members-next', onclick: () => turn(page.next) },
          t('members.next'))));
  }
  const turn = cursor => load(cursor).catch(e =>
    show(results, h('p', { class: 'notice error', role: 'alert' }, t('error.generic', { detail: e.message }))));
  await load(null);
}

/** A new member (name, email, tags), opened once added. */
function addMemberForm() {
  const message = h('div', { role: 'alert', id: 'member-add-error' });
  const name = h('input', { id: 'member-add-name', required: true, maxlength: '200', autocomplete: 'off' });
  const email = h('input', { id: 'member-add-email', type: 'email', maxlength: '254', autocomplete: 'off' });
  const tags = h('input', { id: 'member-add-tags', maxlength: '500', autocomplete: 'off' });
  // One key per filled-in form: a double click adds one member.
  const key = idempotencyKey();
  const field = (input, label) => h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
  return h('section', { 'aria-labelledby': 'member-add-title' },
    h('h3', { id: 'member-add-title' }, t('members.add')),
    h('form', { class: 'inline', id: 'member-add-form', onsubmit: async e => {
      e.preventDefault();
      const body = { name: name.value.trim(),
        tags: tags.value.split(',').map(tag => tag.trim()).filter(Boolean) };
      if (email.value.trim()) body.email = email.value.trim();
      try {
        const created = await api('/v1/members', { method: 'POST', body, idempotency: key });
        location.hash = `#/members/${encodeURIComponent(created.id)}`;
      } catch (err) {
        show(message, h('p', { class: 'notice error' }, problemText(err)));
      }
    } },
    field(name, t('members.name')), field(email, t('members.email')), field(tags, t('members.addTags')),
    h('button', { type: 'submit', id: 'member-add-submit' }, t('members.addSubmit'))),
    message);
}
