// A member's bookings, newest first: the class, its time in the studio's zone, status and cost; for the booked ones a
// cancel that says what came back (after the deadline, what the studio's penalty rule gives), a check-in and, once
// the class started, a no-show; a waiver of what a penalty kept; and a class booked for her, or refused with the
// reasons lot by lot.
import { api, idempotencyKey, ApiError } from './shared/api.js';
import { h, show } from './shared/dom.js';
import { t } from './shared/i18n.js';
import { confirmForm } from './shared/confirm.js';
import { problemText } from './shared/actions.js';
import { localInput, instantOf } from './shared/format.js';
import { explanation } from './eligibility.js';

/** `booking` holds what the form needs: the member, her credit view, the studio's schedulers and its clock. */
export function bookingsSection(items, fmt, again, booking) {
  return h('section', { 'aria-labelledby': 'bookings-title' },
    h('h3', { id: 'bookings-title' }, t('bookings.title')),
    bookForm(booking, fmt, again),
    items.length ? h('table', { id: 'bookings' },
      h('thead', {}, h('tr', {}, ['bookings.class', 'bookings.startsAt', 'bookings.status', 'bookings.cost',
        'bookings.actions'].map(k => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, items.map(b => bookingRow(b, fmt, again, booking.now))))
      : h('p', { id: 'bookings-none' }, t('bookings.none')));
}

/** A booking's row: cancel, check in and (once the class started) no-show while booked; waive what a penalty kept. */
function bookingRow(b, fmt, again, now) {
  const cell = h('td', {});
  const change = (action, body, key) => api(`/v1/bookings/${encodeURIComponent(b.id)}/${action}`,
    { method: 'POST', body, idempotency: key });
  const cancel = () => {
    // The deadline is named, not judged here: the server's clock decides, and the answer says what came back.
    show(cell, confirmForm({
      id: `cancel-${b.id}`, reason: false, submit: t('bookings.cancelConfirm'), onCancel: buttons,
      title: t('bookings.cancelAsk', { date: fmt.at(b.cancelBy) }),
      onConfirm: async (reason, key) => {
        const done = await change('cancel', {}, key);
        return !done.refunded
          ? t('bookings.cancelledNothing', { scheduler: b.schedulerName })
          : t('bookings.cancelledRefunded', { scheduler: b.schedulerName, credits: done.refunded });
      },
    }, again));
  };
  const waive = () => show(cell, confirmForm({
    id: `waive-${b.id}`, submit: t('bookings.waiveConfirm'), onCancel: buttons,
    title: t('bookings.waiveAsk', { credits: b.penalty.forfeited }),
    onConfirm: async (reason, key) => {
      await change('waive', { reason }, key);
      return t('bookings.waived', { scheduler: b.schedulerName, credits: b.penalty.forfeited });
    },
  }, again));
  const direct = (action, done) => async () => {
    try {
      await change(action, {});
      await again({ notice: { kind: 'ok', text: t(done, { scheduler: b.schedulerName }) } });
    } catch (err) {
      await again({ notice: { kind: 'error', text: problemText(err) } });
    }
  };
  const button = (id, label, onclick, aria) => h('button', { type: 'button', class: 'secondary', id: `${id}-${b.id}`,
    onclick, 'aria-label': aria }, label);
  function buttons() {
    const what = { scheduler: b.schedulerName, at: fmt.at(b.startsAt) };
    const open = b.status === 'booked' && !b.checkedInAt;
    const started = new Date(b.startsAt).getTime() <= new Date(now).getTime();
    const waivable = b.penalty && b.penalty.forfeited > 0 && !b.penalty.waived;
    show(cell, open && button('cancel-open', t('bookings.cancel'), cancel, t('bookings.cancelOpen', what)),
      open && button('check-in', t('bookings.checkIn'), direct('check-in', 'bookings.checkedIn'),
        t('bookings.checkInOpen', what)),
      open && started && button('no-show', t('bookings.noShow'), direct('no-show', 'bookings.markedNoShow'),
        t('bookings.noShowOpen', what)),
      waivable && button('waive-open', t('bookings.waive'), waive, t('bookings.waiveOpen', what)));
  }
  buttons();
  const cost = b.payWith === 'direct' ? t('bookings.direct') : t('bookings.credits', { credits: b.cost });
  return h('tr', { id: `booking-${b.id}` },
    h('td', {}, b.schedulerName),
    h('td', {}, fmt.at(b.startsAt)),
    h('td', { class: 'booking-status' }, t(`booking.${b.status}`),
      b.checkedInAt ? ` · ${t('bookings.checkedInMark')}` : '',
      b.refunded !== undefined && b.status !== 'booked' ? ` · ${t('bookings.refunded', { credits: b.refunded })}` : '',
      b.penalty && b.penalty.forfeited > 0 ? ` · ${t(b.penalty.waived ? 'bookings.penaltyWaived'
        : 'bookings.penaltyKept', { credits: b.penalty.forfeited })}` : ''),
    h('td', {}, cost),
    cell);
}

/** Books a class for her at a time of the studio's wall clock (tomorrow at 18:00 unless changed). */
function bookForm({ memberId, view, schedulers, now }, fmt, again) {
  if (!schedulers.length) return h('p', { class: 'help', id: 'book-no-classes' }, t('bookings.noClasses'));
  const names = Object.fromEntries(view.accounts.map(a => [a.account, a.name]));
  const scheduler = h('select', { id: 'book-scheduler', required: true },
    schedulers.map(sc => h('option', { value: sc.id }, sc.name)));
  const tomorrow = localInput(new Date(new Date(now).getTime() + 86_400_000).toISOString(), fmt.zone);
  const startsAt = h('input', { id: 'book-at', type: 'datetime-local', required: true,
    value: `${tomorrow.slice(0, 10)}T18:00` });
  const result = h('div', { id: 'book-result', 'aria-live': 'polite' });
  // One key per filled-in form: a double click or a retry after a lost answer books once.
  let key = idempotencyKey();
  const field = (input, label) => h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
  return [h('h4', { id: 'book-title' }, t('bookings.book')),
    h('form', { class: 'inline', id: 'book-form', 'aria-labelledby': 'book-title', onsubmit: async e => {
    e.preventDefault();
    const chosen = schedulers.find(sc => sc.id === scheduler.value);
    try {
      const booked = await api('/v1/bookings', { method: 'POST', idempotency: key, body: {
        memberId, schedulerId: chosen.id, startsAt: instantOf(startsAt.value, fmt.zone) } });
      await again({ notice: { kind: 'ok', text: booked.payWith === 'direct'
        ? t('bookings.bookedDirect', { scheduler: chosen.name, at: fmt.at(booked.startsAt) })
        : t('bookings.booked', { scheduler: chosen.name, at: fmt.at(booked.startsAt), credits: booked.cost }) } });
    } catch (err) {
      // Refused: nothing was booked, so the next try is a new request.
      key = idempotencyKey();
      const report = err instanceof ApiError ? err.problem.eligibility : null;
      show(result, report
        ? [h('p', { class: 'notice warn', id: 'book-refused' }, t('bookings.refused', { scheduler: chosen.name })),
          explanation(report, names, fmt, 'book')]
        : h('p', { class: 'notice error', id: 'book-error' }, problemText(err)));
    }
  } },
    field(scheduler, t('bookings.class')), field(startsAt, t('bookings.bookAt', { zone: fmt.zone })),
    h('button', { type: 'submit', id: 'book-submit' }, t('bookings.bookSubmit'))),
    result];
}
