import { lang, t } from './i18n.js';

// Dates in the studio's time zone, money in its currency, in the reader's language.
export function formats(studio) {
  const zone = studio.timezone;
  const at = new Intl.DateTimeFormat(lang(), { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' });
  // A calendar date (an expiry day) is already the studio's day: shown as it is, not moved by a zone.
  const day = new Intl.DateTimeFormat(lang(), { timeZone: 'UTC', dateStyle: 'medium' });
  return {
    at: iso => (iso ? at.format(new Date(iso)) : ''),
    day: date => {
      const [y, m, d] = date.split('-').map(Number);
      return day.format(new Date(Date.UTC(y, m - 1, d)));
    },
    money: value => new Intl.NumberFormat(lang(), { style: 'currency', currency: value?.currency || studio.currency })
      .format(Number(value?.amount ?? 0)),
    credits,
    zone,
  };
}

/** A credit amount: a number, or ∞ for unlimited. */
export function credits(value) {
  return value === 'unlimited' || value === '+unlimited' ? '∞' : String(value);
}

/** A credit-log line as a coach reads it: "+10 Credits | Purchased 10-Credit Package". */
export function logLine(item) {
  const delta = item.delta === '+unlimited' ? '+∞' : item.delta;
  return `${delta} ${t('log.credits')} | ${item.description}`;
}
