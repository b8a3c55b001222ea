// What the dashboard and the portal both show of an account: its balance, the classes it pays for (3/∞), usage
// limits, expirations (expired/issued) and the credit log, one line per action, green for +, red for -.
import { h } from './dom.js';
import { t } from './i18n.js';
import { credits, logLine } from './format.js';

export function accountPanel(account, fmt) {
  return h('div', { class: 'account' },
    h('p', { class: 'balance', id: 'account-balance' }, t('member.balance', { balance: credits(account.balance) })),
    h('p', { id: 'account-available' }, t('member.available', { available: credits(account.available) }),
      account.periodEndsAt ? ` · ${t('member.periodEnds', { date: fmt.at(account.periodEndsAt) })}` : ''),
    account.usage?.length ? [h('h3', {}, t('member.usage')), h('ul', { class: 'plain', id: 'usage' },
      account.usage.map(u => h('li', {}, `${u.schedulerName} (${u.used}/${credits(u.limit)})`)))] : null,
    account.usageLimits?.length ? [h('h3', {}, t('member.usageLimits')), h('ul', { class: 'plain' },
      account.usageLimits.map(l => h('li', {}, t('member.usageLimit',
        { scheduler: l.schedulerName || '—', used: l.used, max: l.max, per: l.per }))))] : null,
    h('h3', {}, t('member.expirations')),
    account.expirations?.length ? h('ul', { class: 'plain', id: 'expirations' }, account.expirations.map(e =>
      h('li', {}, `${fmt.day(e.date)} (${e.expired}/${e.issued})`))) : h('p', {}, t('member.noExpirations')));
}

export function logList(items, fmt) {
  if (!items.length) return h('p', { id: 'log' }, t('member.noLog'));
  return h('ul', { class: 'plain log', id: 'log' }, items.map(item => h('li', {},
    h('span', { class: item.delta.startsWith('-') ? 'minus' : 'plus' }, logLine(item)),
    h('br'),
    h('span', { class: 'meta' }, [fmt.at(item.at), item.actor && t('member.by', { actor: item.actor }),
      item.reason && item.reason !== item.description && t('member.reason', { reason: item.reason })]
      .filter(Boolean).join(' · ')))));
}
