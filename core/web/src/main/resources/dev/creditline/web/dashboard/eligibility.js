// "Why can't she book?": the eligibility of each of her lots for a chosen class, in words.
import { api, query } from './shared/api.js';
import { h, show } from './shared/dom.js';
import { t } from './shared/i18n.js';
import { credits } from './shared/format.js';

export function eligibilitySection(memberId, view, schedulers, fmt) {
  const names = Object.fromEntries(view.accounts.map(a => [a.account, a.name]));
  const select = h('select', { id: 'why-scheduler', required: true },
    schedulers.map(s => h('option', { value: s.id }, s.name)));
  const result = h('div', { id: 'why-result', 'aria-live': 'polite' });

  const check = async () => {
    const report = await api(`/v1/members/${encodeURIComponent(memberId)}/eligibility`
      + query({ schedulerId: select.value }));
    show(result, explanation(report, names, fmt, 'why'));
  };

  return h('section', { 'aria-labelledby': 'why-title' },
    h('h3', { id: 'why-title' }, t('why.title')),
    schedulers.length ? h('form', { class: 'inline', onsubmit: e => { e.preventDefault(); check(); } },
      h('div', { class: 'field' }, h('label', { for: 'why-scheduler' }, t('why.scheduler')), select),
      h('button', { type: 'submit', id: 'why-submit' }, t('why.submit'))) : null,
    result);
}

/**
 * An eligibility report in words: the verdict, then each lot and why it can or cannot pay. `names` maps accounts to
 * their names; `prefix` keeps the ids of two explanations on one screen apart.
 */
export function explanation(report, names, fmt, prefix) {
  return [
    h('p', { id: `${prefix}-verdict`, class: `notice ${report.canBook ? 'ok' : 'warn'}` }, report.canBook
      ? t('why.canBook', { cost: report.cost })
      : t('why.cannotBook', { cost: report.cost, shortBy: report.shortBy })),
    report.lots.length ? h('ul', { class: 'plain', id: `${prefix}-lots` }, report.lots.map(lot => h('li', {},
      t(lot.eligible ? 'why.lotOk' : 'why.lotNot', {
        account: names[lot.account] || lot.account,
        // What the lot can still pay: credits other bookings hold are not "left".
        remaining: credits(typeof lot.remaining === 'number' ? lot.remaining - (lot.held || 0) : lot.remaining),
        reasons: lot.reasons.map(code => t(`reason.${code}`)).join(', '),
      }),
      lot.expiresAt ? ` (${t('why.expiresAt', { date: fmt.at(lot.expiresAt) })})` : ''))) : h('p', {}, t('why.noLots')),
  ];
}
