// Members: search by name, email or tag on the server, page by page, with each member's balance at a glance.
import { api, query } from './shared/api.js';
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
  show(app.main, h('h2', {}, t('members.title')), form, results);

  async function load(cursor) {
    show(results, h('p', {}, t('loading')));
    const page = await api('/v1/members' + query({ q: params.get('q'), tag: params.get('tag'), limit: PAGE, cursor }));
    // One credit view per listed member (the list carries no balances): at most a page's worth of reads.
    const views = await Promise.all(page.items.map(m => api(`/v1/members/${encodeURIComponent(m.id)}/credits`)
      .catch(() => null)));
    if (!page.items.length) {
      show(results, h('p', {}, t('members.none')));
      return;
    }
    const rows = page.items.map((m, i) => {
      const view = views[i];
      const balance = view ? (view.unlimitedUntil ? `${view.total} + ∞` : credits(view.total)) : '';
      return h('tr', {},
        h('td', {}, h('a', { href: `#/members/${encodeURIComponent(m.id)}` }, m.name)),
        h('td', {}, m.email || ''),
        h('td', {}, (m.tags || []).map(tg => h('span', { class: 'tag' }, tg))),
        h('td', { class: 'num' }, balance),
        h('td', { class: 'num' }, view ? credits(view.available) : ''));
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
