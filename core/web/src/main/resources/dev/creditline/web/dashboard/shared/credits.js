// What the dashboard and the portal both show of an account: its balance, the classes it pays for (3/∞), usage
// limits, expirations (expired/issued) and the credit log, one line per action, green for +, red for -.
import { h } from './dom.js';
import { t } from './i18n.js';
import { credits, logLine } from './format.js';

/**
 * `level` is the heading level of the panel's sections (3 under the dashboard's h2, 5 under the portal's h4);
 * `schedulerNames` (id → name, where the caller may list schedulers) names the classes a package pays for.
 */
export function accountPanel(account, fmt, level = 3, schedulerNames = null) {
  const heading = `h${level}`;
  return h('div', { class: 'account' },
    h('p', { class: 'balance account-balance' }, t('member.balance', { balance: credits(account.balance) })),
    h('p', { class: 'account-available' }, t('member.available', { available: credits(account.available) }),
      account.periodEndsAt ? ` · ${t('member.periodEnds', { date: fmt.at(account.periodEndsAt) })}` : ''),
    redeemable(account, heading, schedulerNames),
    account.usageLimits?.length ? [h(heading, {}, t('member.usageLimits')), h('ul', { class: 'plain' },
      account.usageLimits.map(l => h('li', {}, t('member.usageLimit',
        { scheduler: l.schedulerName || '—', used: l.used, max: l.max, per: l.per }))))] : null,
    h(heading, {}, t('member.expirations')),
    account.expirations?.length ? h('ul', { class: 'plain expirations' }, account.expirations.map(e =>
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

/** The classes an account pays for: with their use this period (3/∞) where the view counts it, else by name. */
function redeemable(account, heading, listed) {
  // The view names the classes a package pays for (an athlete cannot list the studio's schedulers).
  const schedulerNames = account.redeemableSchedulers
    ? { ...listed, ...Object.fromEntries(account.redeemableSchedulers.map(s => [s.id, s.name])) } : listed;
  let items = null;
  if (account.balance === 'unlimited' || account.usage?.length) {
    // The view counts only the classes used; the others she may book show as 0/∞, as CoachIQ lists them.
    const usage = account.usage || [];
    const ids = account.redeemableSchedulerIds ?? (schedulerNames ? Object.keys(schedulerNames) : []);
    const unused = ids.filter(id => !usage.some(u => u.schedulerId === id))
      .map(id => ({ schedulerName: schedulerNames?.[id] || id, used: 0, limit: 'unlimited' }));
    items = [...usage, ...unused].map(u => `${u.schedulerName} (${u.used}/${credits(u.limit)})`);
  } else if (account.redeemableSchedulerIds === null || account.redeemableSchedulerIds === undefined) {
    items = [t('member.allClasses')];
  } else if (schedulerNames) {
    items = account.redeemableSchedulerIds.map(id => schedulerNames[id] || id);
  }
  if (!items) return null;
  return [h(heading, {}, t('member.usage')), h('ul', { class: 'plain usage' }, items.map(text => h('li', {}, text)))];
}
