// The owner's settings: a test-mode studio's clock, the studio's API keys (for machines), the staff accounts (for
// people) and the plugins with their settings (secrets are write-only: the server answers them masked). Everything
// through the public API.
import { api, query, idempotencyKey, ApiError } from './shared/api.js';
import { h, show } from './shared/dom.js';
import { t } from './shared/i18n.js';
import { screenActions } from './shared/actions.js';
import { formats, localInput, instantOf } from './shared/format.js';

export async function settingsScreen(app, state = {}) {
  const fmt = formats(app.studio);
  const again = next => settingsScreen(app, next);
  const { notice, act } = screenActions(again, state);
  let keys;
  let staff;
  let plugins;
  let clock;
  try {
    [keys, staff, plugins, clock] = await Promise.all([api(`/v1/api-keys${query({ limit: 100 })}`),
      api(`/v1/staff-accounts${query({ limit: 100 })}`), api('/v1/plugins'), api('/v1/clock')]);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 403) throw e;
    show(app.main, h('h2', {}, t('settings.title')), h('p', { id: 'settings-owners' }, t('settings.ownersOnly')));
    return;
  }
  show(app.main, h('h2', {}, t('settings.title')), notice,
    clock.testMode && clockSection(clock.now, fmt, act),
    keysSection(keys.items, fmt, act), staffSection(staff.items, fmt, act), pluginsSection(plugins.items, act));
}

/**
 * A test-mode studio's own clock: moved forward to a time of the studio's wall clock, or by a day or a month; the
 * server runs what falls due on the way (expiry, renewals) before it answers.
 */
function clockSection(now, fmt, act) {
  const to = h('input', { id: 'clock-to', type: 'datetime-local', required: true, value: localInput(now, fmt.zone) });
  const form = h('form', { class: 'inline', id: 'clock-form', onsubmit: e => {
    e.preventDefault();
    act(() => api('/v1/clock', { method: 'POST', body: { now: instantOf(to.value, fmt.zone) } }),
      moved => t('clock.moved', { at: fmt.at(moved.now) }));
  } },
  h('div', { class: 'field' }, h('label', { for: 'clock-to' }, t('clock.to')), to),
  h('button', { type: 'submit', id: 'clock-submit' }, t('clock.submit')));
  // A day or a month later on the studio's wall clock (the month's day kept, as a calendar counts).
  const later = (days, months) => () => {
    const [date, time] = localInput(now, fmt.zone).split('T');
    const [y, m, d] = date.split('-').map(Number);
    const next = new Date(Date.UTC(y, m - 1 + months, d + days));
    to.value = `${next.toISOString().slice(0, 10)}T${time}`;
    form.requestSubmit();
  };
  return h('section', { 'aria-labelledby': 'clock-title' },
    h('h3', { id: 'clock-title' }, t('clock.title')),
    h('p', { class: 'help' }, t('clock.help')),
    h('p', { id: 'clock-now' }, t('clock.now', { at: fmt.at(now) })),
    form,
    h('p', { class: 'inline' },
      h('button', { type: 'button', class: 'secondary', id: 'clock-day', onclick: later(1, 0) }, t('clock.plusDay')), ' ',
      h('button', { type: 'button', class: 'secondary', id: 'clock-month', onclick: later(0, 1) },
        t('clock.plusMonth'))));
}

function keysSection(keys, fmt, act) {
  const role = h('select', { id: 'key-role' }, ['coach', 'owner'].map(r => h('option', { value: r }, t(`role.${r}`))));
  const name = h('input', { id: 'key-name', maxlength: '100' });
  const rows = keys.map(key => h('tr', {},
    h('td', {}, key.name), h('td', {}, t(`role.${key.role}`)), h('td', {}, h('code', {}, key.prefix || '—')),
    h('td', {}, fmt.at(key.createdAt)), h('td', {}, key.lastUsedAt ? fmt.at(key.lastUsedAt) : t('keys.never')),
    h('td', {}, key.revokedAt ? t('keys.revokedAt', { at: fmt.at(key.revokedAt) }) : [
      h('button', { type: 'button', class: 'secondary', onclick: () => act(
        () => api(`/v1/api-keys/${encodeURIComponent(key.id)}/roll`, { method: 'POST' }),
        rolled => t('keys.rolled', { name: key.name, key: rolled.key })) }, t('keys.roll')),
      ' ',
      h('button', { type: 'button', class: 'secondary', onclick: () => confirm(t('keys.revokeConfirm', { name: key.name }))
        && act(() => api(`/v1/api-keys/${encodeURIComponent(key.id)}`, { method: 'DELETE' }),
          () => t('keys.revoked', { name: key.name })) }, t('keys.revoke'))])));
  return h('section', { 'aria-labelledby': 'keys-title' },
    h('h3', { id: 'keys-title' }, t('keys.title')),
    h('p', { class: 'help' }, t('keys.help')),
    h('table', { id: 'keys-table' },
      h('thead', {}, h('tr', {}, [t('keys.name'), t('keys.role'), t('keys.prefix'), t('keys.created'),
        t('keys.lastUsed'), ''].map(title => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, rows)),
    h('form', { class: 'inline', id: 'key-form', onsubmit: e => {
      e.preventDefault();
      act(() => api('/v1/api-keys', { method: 'POST', body: { role: role.value, ...(name.value.trim()
        ? { name: name.value.trim() } : {}) } }), created => t('keys.createdNotice', { key: created.key }));
    } },
    h('div', { class: 'field' }, h('label', { for: 'key-role' }, t('keys.role')), role),
    h('div', { class: 'field' }, h('label', { for: 'key-name' }, t('keys.name')), name),
    h('button', { type: 'submit', id: 'key-submit' }, t('keys.create'))));
}

function staffSection(accounts, fmt, act) {
  const email = h('input', { id: 'invite-email', type: 'email', required: true });
  const name = h('input', { id: 'invite-name', maxlength: '200' });
  const role = h('select', { id: 'invite-role' }, ['coach', 'owner'].map(r => h('option', { value: r }, t(`role.${r}`))));
  const byLink = h('input', { id: 'invite-link', type: 'checkbox' });
  const rows = accounts.map(account => h('tr', {},
    h('td', {}, account.name || '—'), h('td', {}, account.email), h('td', {}, t(`role.${account.role}`)),
    h('td', {}, t(`staff.${account.status}`)),
    h('td', {}, account.status !== 'disabled' && h('button', { type: 'button', class: 'secondary', onclick: () =>
      confirm(t('staff.disableConfirm', { email: account.email })) && act(
        () => api(`/v1/staff-accounts/${encodeURIComponent(account.id)}/disable`, { method: 'POST' }),
        () => t('staff.disabledNotice', { email: account.email })) }, t('staff.disable')))));
  return h('section', { 'aria-labelledby': 'staff-title' },
    h('h3', { id: 'staff-title' }, t('staff.title')),
    h('table', { id: 'staff-table' },
      h('thead', {}, h('tr', {}, [t('staff.name'), t('staff.email'), t('keys.role'), t('staff.status'), '']
        .map(title => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, rows)),
    h('form', { class: 'inline', id: 'invite-form', onsubmit: e => {
      e.preventDefault();
      act(() => api('/v1/staff-invitations', { method: 'POST', idempotency: idempotencyKey(), body: {
        email: email.value.trim(), role: role.value, ...(name.value.trim() ? { name: name.value.trim() } : {}),
        deliver: byLink.checked ? 'link' : 'email' } }),
      invited => invited.invitation.acceptUrl ? t('staff.invitedLink', { email: invited.email,
        url: invited.invitation.acceptUrl }) : t('staff.invitedEmail', { email: invited.email }));
    } },
    h('div', { class: 'field' }, h('label', { for: 'invite-email' }, t('staff.email')), email),
    h('div', { class: 'field' }, h('label', { for: 'invite-name' }, t('staff.name')), name),
    h('div', { class: 'field' }, h('label', { for: 'invite-role' }, t('keys.role')), role),
    h('div', { class: 'field' }, h('label', { for: 'invite-link' }, byLink, ' ', t('staff.byLink'))),
    h('button', { type: 'submit', id: 'invite-submit' }, t('staff.invite'))));
}

function pluginsSection(plugins, act) {
  return h('section', { 'aria-labelledby': 'plugins-title' },
    h('h3', { id: 'plugins-title' }, t('plugins.title')),
    h('p', { class: 'help' }, t('plugins.help')),
    plugins.map(plugin => pluginCard(plugin, act)));
}

function pluginCard(plugin, act) {
  const id = `plugin-${plugin.id}`;
  const enabled = h('input', { id: `${id}-enabled`, type: 'checkbox', checked: plugin.enabled,
    disabled: plugin.state !== 'started' });
  const settings = h('textarea', { id: `${id}-settings`, rows: '4', cols: '60', spellcheck: 'false' });
  const load = async () => {
    const current = await api(`/v1/plugins/${encodeURIComponent(plugin.id)}`).catch(() => null);
    settings.value = JSON.stringify(current?.settings || {}, null, 2);
  };
  load();
  return h('article', { class: 'account-card', id },
    h('h4', {}, `${plugin.id} ${plugin.version}`),
    h('p', {}, plugin.description, plugin.state !== 'started' ? ` (${plugin.state}${plugin.problem
      ? `: ${plugin.problem}` : ''})` : ''),
    h('form', { class: 'stack', onsubmit: e => {
      e.preventDefault();
      let parsed;
      try {
        parsed = settings.value.trim() ? JSON.parse(settings.value) : {};
      } catch {
        act(() => Promise.reject(new Error(t('plugins.badJson'))), () => '');
        return;
      }
      act(() => api(`/v1/plugins/${encodeURIComponent(plugin.id)}`, { method: 'PUT',
        body: { enabled: enabled.checked, settings: parsed } }), () => t('plugins.saved', { id: plugin.id }));
    } },
    h('div', { class: 'field' }, h('label', { for: `${id}-enabled` }, enabled, ' ', t('plugins.enabled'))),
    h('div', { class: 'field' }, h('label', { for: `${id}-settings` }, t('plugins.settings')), settings,
      h('p', { class: 'help' }, t('plugins.secrets'))),
    h('button', { type: 'submit', id: `${id}-save` }, t('plugins.save'))));
}
