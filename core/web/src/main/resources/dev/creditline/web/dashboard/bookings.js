// A member's bookings, newest first: the class, its time in the studio's zone, status and cost, and a cancel for the
// booked ones that says what came back (nothing after the cancellation deadline).
import { api } from './shared/api.js';
import { h, show } from './shared/dom.js';
import { t } from './shared/i18n.js';
import { confirmForm } from './shared/confirm.js';

export function bookingsSection(items, fmt, again) {
  return h('section', { 'aria-labelledby': 'bookings-title' },
    h('h3', { id: 'bookings-title' }, t('bookings.title')),
    items.length ? h('table', { id: 'bookings' },
      h('thead', {}, h('tr', {}, ['bookings.class', 'bookings.startsAt', 'bookings.status', 'bookings.cost',
        'bookings.actions'].map(k => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, items.map(b => bookingRow(b, fmt, again))))
      : h('p', { id: 'bookings-none' }, t('bookings.none')));
}

function bookingRow(b, fmt, again) {
  const cell = h('td', {});
  const cancel = () => {
    // The deadline is named, not judged here: the server's clock decides, and the answer says what came back.
    show(cell, confirmForm({
      id: `cancel-${b.id}`, reason: false, submit: t('bookings.cancelConfirm'), onCancel: buttons,
      title: t('bookings.cancelAsk', { date: fmt.at(b.cancelBy) }),
      onConfirm: async (reason, key) => {
        const done = await api(`/v1/bookings/${encodeURIComponent(b.id)}/cancel`,
          { method: 'POST', body: {}, idempotency: key });
        return done.status === 'late_cancelled' || !done.refunded
          ? t('bookings.cancelledNothing', { scheduler: b.schedulerName })
          : t('bookings.cancelledRefunded', { scheduler: b.schedulerName, credits: done.refunded });
      },
    }, again));
  };
  function buttons() {
    show(cell, b.status === 'booked' && h('button', { type: 'button', class: 'secondary', id: `cancel-open-${b.id}`,
      onclick: cancel, 'aria-label': t('bookings.cancelOpen', { scheduler: b.schedulerName, at: fmt.at(b.startsAt) }) },
    t('bookings.cancel')));
  }
  buttons();
  const cost = b.payWith === 'direct' ? t('bookings.direct') : t('bookings.credits', { credits: b.cost });
  return h('tr', { id: `booking-${b.id}` },
    h('td', {}, b.schedulerName),
    h('td', {}, fmt.at(b.startsAt)),
    h('td', { class: 'booking-status' }, t(`booking.${b.status}`),
      b.refunded !== undefined && b.status !== 'booked' ? ` · ${t('bookings.refunded', { credits: b.refunded })}` : ''),
    h('td', {}, cost),
    cell);
}
