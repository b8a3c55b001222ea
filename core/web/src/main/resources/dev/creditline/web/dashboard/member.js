// One member's credits as a coach reads them: Master Credits first, a tab per product, the credit log in green and
// red, add and set (set names the balance it was based on), and why a class cannot be booked.
import { api, query, idempotencyKey, ApiError } from './shared/api.js';
import { h, show } from './shared/dom.js';
import { t } from './shared/i18n.js';
import { formats, credits, localInput, instantOf } from './shared/format.js';
import { accountPanel, logList } from './shared/credits.js';
import { eligibilitySection } from './eligibility.js';
import { addProductSection, purchasesSection } from './purchases.js';
import { bookingsSection } from './bookings.js';

export async function memberScreen(app, memberId, state = {}) {
  const id = encodeURIComponent(memberId);
  const fmt = formats(app.studio);
  const [member, view, purchases, schedulers, products, bookings, clock] = await Promise.all([
    api(`/v1/members/${id}`), api(`/v1/members/${id}/credits${query({ asOf: state.asOf })}`),
    api(`/v1/purchases${query({ memberId, limit: 20 })}`),
    api(`/v1/schedulers${query({ limit: 500 })}`), api(`/v1/products${query({ active: true, limit: 200 })}`),
    api(`/v1/bookings${query({ memberId, limit: 20 })}`), api('/v1/clock')]);
  const schedulerNames = Object.fromEntries(schedulers.items.map(s => [s.id, s.name]));
  const selected = view.accounts.find(a => a.account === state.account) || view.accounts[0];
  const log = await api(`/v1/members/${id}/credit-logs${query({ account: selected.account, to: state.asOf, limit: 50 })}`);
  const again = next => memberScreen(app, memberId, { account: selected.account, asOf: state.asOf, ...next });
  const past = Boolean(state.asOf);

  const tabs = h('div', { role: 'tablist', 'aria-label': t('member.credits') }, view.accounts.map(account => h('button', {
    type: 'button', role: 'tab', id: `tab-${account.account}`, 'aria-controls': 'account-panel',
    'aria-selected': account === selected ? 'true' : 'false', tabindex: account === selected ? '0' : '-1',
    onclick: () => again({ account: account.account }),
  }, `${account.name} (${credits(account.balance)})`)));

  const panel = h('div', { role: 'tabpanel', id: 'account-panel', 'aria-labelledby': `tab-${selected.account}` },
    accountPanel(selected, fmt, 3, schedulerNames),
    past ? null : adjustForms(memberId, selected, again),
    h('h3', {}, t('member.log')),
    logList(log.items, fmt));

  show(app.main,
    h('p', {}, h('a', { href: '#/members' }, t('member.back'))),
    h('h2', { id: 'member-name' }, member.name),
    h('p', { class: 'help' }, [member.email, ...(member.tags || [])].filter(Boolean).join(' · ')),
    h('div', { id: 'notice', role: 'status' }, state.notice && h('p', { class: `notice ${state.notice.kind}` },
      state.notice.text)),
    h('p', { id: 'member-total' }, t('member.total', { total: view.total, available: view.available }),
      view.unlimitedUntil ? ` · ${t('member.unlimitedUntil', { date: fmt.at(view.unlimitedUntil) })}` : ''),
    h('h3', {}, t('member.credits')),
    asOfForm(state.asOf, clock.now, fmt, again),
    tabs, panel,
    // The past is read only: what is done is done now.
    past ? null : [addProductSection(memberId, products.items, app.studio, fmt, again),
      eligibilitySection(memberId, view, schedulers.items, fmt),
      bookingsSection(bookings.items, fmt, again, { memberId, view, schedulers: schedulers.items, now: clock.now }),
      purchasesSection(purchases.items, fmt, again)]);
}

/** Her credits as they stood at a time of the studio's clock (rebuilt from the journal), and back to now. */
function asOfForm(asOf, now, fmt, again) {
  const at = h('input', { id: 'as-of', type: 'datetime-local', required: true,
    value: localInput(asOf || now, fmt.zone), max: localInput(now, fmt.zone) });
  return h('form', { class: 'inline', id: 'as-of-form', onsubmit: e => {
    e.preventDefault();
    again({ asOf: instantOf(at.value, fmt.zone) });
  } },
  h('div', { class: 'field' }, h('label', { for: 'as-of' }, t('member.asOf')), at),
  h('button', { type: 'submit', class: 'secondary', id: 'as-of-submit' }, t('member.asOfSubmit')),
  asOf && [h('p', { class: 'notice warn', id: 'as-of-shown' }, t('member.asOfShown', { at: fmt.at(asOf) })),
    h('button', { type: 'button', id: 'as-of-now', onclick: () => again({ asOf: null }) }, t('member.asOfNow'))]);
}

/** Add credits with a reason; set a balance, sending the balance it was based on as expectedBalance. */
function adjustForms(memberId, account, again) {
  if (account.balance === 'unlimited') {
    return h('p', { class: 'help', id: 'add-form-unlimited' }, t('adjust.unlimited'));
  }
  const based = account.balance;
  const path = `/v1/members/${encodeURIComponent(memberId)}/credits/adjust`;
  // One idempotency key per filled-in form: a double click or a retry after a lost answer adds once.
  const addKey = idempotencyKey();
  const addAmount = h('input', { id: 'add-amount', type: 'number', min: '1', step: '1', required: true });
  const addReason = h('input', { id: 'add-reason', required: true, maxlength: '500' });
  const setAmount = h('input', { id: 'set-amount', type: 'number', min: '0', step: '1', required: true,
    value: String(based) });
  const setReason = h('input', { id: 'set-reason', required: true, maxlength: '500' });

  const submit = async (body, key, done) => {
    try {
      await api(path, { method: 'POST', body: { account: account.account, ...body }, idempotency: key });
      await again({ notice: { kind: 'ok', text: done } });
    } catch (e) {
      if (e instanceof ApiError && e.problem.type?.endsWith('balance_changed')) {
        // Nothing changed; the screen is drawn again with the fresh balance, and the set form based on it.
        await again({ notice: { kind: 'warn', text: t('adjust.conflict', { balance: e.problem.balance }) } });
      } else {
        await again({ notice: { kind: 'error', text: t('error.generic', { detail: e.message }) } });
      }
    }
  };

  return h('div', { class: 'columns' },
    h('form', { class: 'stack', id: 'add-form', 'aria-labelledby': 'add-title', onsubmit: e => {
      e.preventDefault();
      const amount = Number(addAmount.value);
      submit({ mode: 'add', amount, reason: addReason.value.trim() }, addKey, t('adjust.added', { amount }));
    } },
    h('h3', { id: 'add-title' }, t('adjust.add')),
    h('div', { class: 'field' }, h('label', { for: 'add-amount' }, t('adjust.amount')), addAmount),
    h('div', { class: 'field' }, h('label', { for: 'add-reason' }, t('adjust.reason')), addReason),
    h('button', { type: 'submit', id: 'add-submit' }, t('adjust.addSubmit'))),
    h('form', { class: 'stack', id: 'set-form', 'aria-labelledby': 'set-title', onsubmit: e => {
      e.preventDefault();
      const amount = Number(setAmount.value);
      submit({ mode: 'set', amount, expectedBalance: based, reason: setReason.value.trim() }, idempotencyKey(),
        t('adjust.setDone', { balance: amount }));
    } },
    h('h3', { id: 'set-title' }, t('adjust.set')),
    h('p', { class: 'help', id: 'set-based-on' }, t('adjust.basedOn', { balance: based })),
    h('div', { class: 'field' }, h('label', { for: 'set-amount' }, t('adjust.newTotal')), setAmount),
    h('div', { class: 'field' }, h('label', { for: 'set-reason' }, t('adjust.reason')), setReason),
    h('button', { type: 'submit', id: 'set-submit' }, t('adjust.setSubmit'))));
}
