import { lang, t, english } from './i18n.js';

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
  const unlimited = item.delta === '+unlimited' || item.delta === '-unlimited';
  const delta = unlimited ? item.delta.replace('unlimited', '∞') : item.delta;
  return `${delta} ${t('log.credits', { n: unlimited ? '∞' : item.delta })} | ${describe(item)}`;
}

/**
 * What an action was, in the reader's language. The server words its own lines in English from the same names
 * (Purchased <product>, Redeemed for <class>, ...); a line it did not word so (a plugin's or an automation's) is
 * shown as written.
 */
export function describe(item) {
  const transfer = /^Transferred (to|from) member (\S+) \(merge\)$/.exec(item.description || '');
  if (item.type === 'transferred' && transfer) {
    return t(transfer[1] === 'to' ? 'log.transferredTo' : 'log.transferredFrom', { member: transfer[2] });
  }
  // A late cancel's or no-show's lines, worded by the server from the booking's penalty.
  const d = item.description || '';
  const kept = /^(Late cancel|No-show) — (\d+) credits? forfeited$/.exec(d);
  if (kept) return t(kept[1] === 'No-show' ? 'log.noShowKept' : 'log.lateCancelKept', { n: Number(kept[2]) });
  const back = /^(Late cancel|No-show) of (.+) — refunded( \(free allowance\))?$/.exec(d);
  if (back) {
    return t(`${back[1] === 'No-show' ? 'log.noShow' : 'log.lateCancel'}${back[3] ? 'Free' : 'Refunded'}`,
      { scheduler: back[2] });
  }
  const waived = /^(Late cancel|No-show) — waived by (.+)$/.exec(d);
  if (waived) return t(waived[1] === 'No-show' ? 'log.noShowWaived' : 'log.lateCancelWaived', { actor: waived[2] });
  const key = `log.${item.type}`;
  const vars = { product: item.productName, scheduler: item.schedulerName, actor: item.actor };
  return item.description === english(key, vars) ? t(key, vars) : item.description;
}

/** The wall-clock fields of an instant (milliseconds) in a zone, as numbers. */
function wallClock(ms, zone) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric',
    month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(ms));
  const v = Object.fromEntries(parts.map(p => [p.type, Number(p.value)]));
  return { year: v.year, month: v.month, day: v.day, hour: v.hour, minute: v.minute, second: v.second };
}

/** An instant as a datetime-local value ("2026-12-03T18:00") of the studio's zone. */
export function localInput(iso, zone) {
  const w = wallClock(new Date(iso).getTime(), zone);
  const two = n => String(n).padStart(2, '0');
  return `${w.year}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}`;
}

/**
 * A datetime-local value read as the studio's wall clock, as an instant: a coach in Lisbon booking a Berlin class at
 * 18:00 means 18:00 in Berlin. The zone's offset is found by two corrections (the second settles DST changes).
 */
export function instantOf(local, zone) {
  const [date, time] = local.split('T');
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wanted = Date.UTC(y, m - 1, d, hh, mm);
  const offset = ms => {
    const w = wallClock(ms, zone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - ms;
  };
  let at = wanted - offset(wanted);
  at = wanted - offset(at);
  return new Date(at).toISOString().replace('.000Z', 'Z');
}
