// The message catalogue (English, German), chosen by the browser's language unless the reader picked one.
const STORED = 'creditline.lang';

const messages = {
  en: {
    'app.dashboard': 'Creditline dashboard',
    'app.portal': 'My credits',
    'lang.label': 'Language',
    'signin.title': 'Sign in',
    'signin.key': 'API key',
    'signin.keyHelp': 'A staff key (owner or coach), e.g. the owner key printed when the studio was created.',
    'signin.athleteKeyHelp': 'The key your studio gave you.',
    'signin.submit': 'Sign in with an API key',
    'signin.wrongKey': 'This key was not accepted. Check it and try again.',
    'signin.athleteKey': 'This is an athlete key. Athletes sign in at the portal: /portal/',
    'signin.staffKey': 'This is a staff key. Staff sign in at the dashboard: /dashboard/',
    'signout': 'Sign out',
    'members.title': 'Members',
    'members.search': 'Name or email',
    'members.tag': 'Tag',
    'members.submit': 'Search',
    'members.none': 'No members found.',
    'members.name': 'Name',
    'members.email': 'Email',
    'members.tags': 'Tags',
    'members.balance': 'Balance',
    'members.available': 'Can pay now',
    'members.next': 'Next page',
    'members.first': 'First page',
    'member.back': 'Back to members',
    'plugins.missing': 'This page is not available for your studio (its plugin is not enabled).',
    'member.credits': 'Credits',
    'member.balance': 'Credit Balance: {balance}',
    'member.available': 'Can pay now: {available}',
    'member.total': 'Total: {total} credits, {available} can pay now',
    'member.unlimitedUntil': 'Unlimited until {date}',
    'member.periodEnds': 'Period ends {date}',
    'member.usage': 'Redeemable classes',
    'member.allClasses': 'All classes',
    'member.usageLimits': 'Usage limits',
    'member.usageLimit': '{scheduler}: {used} of {max} per {per}',
    'member.expirations': 'Credit Expirations',
    'member.noExpirations': 'No expirations.',
    'member.log': 'Credit log',
    'member.noLog': 'Nothing yet.',
    'member.by': 'by {actor}',
    'member.reason': 'Reason: {reason}',
    'member.purchases': 'Purchases',
    'member.noPurchases': 'No purchases.',
    'member.paid': '{amount} paid',
    'adjust.add': 'Add credits',
    'adjust.amount': 'Credits',
    'adjust.reason': 'Reason',
    'adjust.addSubmit': 'Add credits',
    'adjust.set': 'Set the balance',
    'adjust.newTotal': 'New balance',
    'adjust.basedOn': 'Based on the balance {balance}',
    'adjust.setSubmit': 'Set the balance',
    'adjust.conflict': 'The balance changed to {balance} while you were editing. Nothing was changed: check the new balance and set it again.',
    'adjust.added': 'Added {amount} credits.',
    'adjust.setDone': 'The balance is now {balance}.',
    'adjust.unlimited': 'An unlimited account has no balance to add to or set.',
    'why.title': "Why can't she book?",
    'why.scheduler': 'Class',
    'why.submit': 'Check',
    'why.canBook': 'Can book: yes. The class costs {cost} credits.',
    'why.cannotBook': 'Can book: no. The class costs {cost} credits; {shortBy} missing.',
    'why.noLots': 'She has no credits that could pay.',
    'why.lotOk': '{account}: {remaining} left — can pay.',
    'why.lotNot': '{account}: {remaining} left — cannot pay: {reasons}.',
    'why.expiresAt': 'expires {date}',
    'reason.expired': 'expired',
    'reason.paused': 'paused',
    'reason.scheduler_not_redeemable': 'not valid for this class',
    'reason.wrong_trainer': 'bound to another trainer',
    'reason.subscription_inactive': 'the subscription is not active',
    'reason.usage_limit_reached': 'the usage limit is reached',
    'reason.not_started': 'not started yet',
    'reason.held': 'held by another booking',
    'log.credits': 'Credits',
    'error.generic': 'Something went wrong: {detail}',
    'loading': 'Loading…',
    'portal.hello': 'Hello, {name}',
    'portal.balance': 'Your credits',
    'portal.accounts': 'Your products',
  },
  de: {
    'app.dashboard': 'Creditline-Dashboard',
    'app.portal': 'Meine Credits',
    'lang.label': 'Sprache',
    'signin.title': 'Anmelden',
    'signin.key': 'API-Schlüssel',
    'signin.keyHelp': 'Ein Schlüssel für Mitarbeitende (Inhaber oder Coach), z. B. der beim Anlegen des Studios ausgegebene Inhaberschlüssel.',
    'signin.athleteKeyHelp': 'Der Schlüssel, den Ihr Studio Ihnen gegeben hat.',
    'signin.submit': 'Mit API-Schlüssel anmelden',
    'signin.wrongKey': 'Dieser Schlüssel wurde nicht akzeptiert. Bitte prüfen und erneut versuchen.',
    'signin.athleteKey': 'Das ist ein Athleten-Schlüssel. Athleten melden sich im Portal an: /portal/',
    'signin.staffKey': 'Das ist ein Mitarbeiter-Schlüssel. Mitarbeitende melden sich im Dashboard an: /dashboard/',
    'signout': 'Abmelden',
    'members.title': 'Mitglieder',
    'members.search': 'Name oder E-Mail',
    'plugins.missing': 'Diese Seite ist für Ihr Studio nicht verfügbar (ihr Plugin ist nicht aktiviert).',
    'members.tag': 'Tag',
    'members.submit': 'Suchen',
    'members.none': 'Keine Mitglieder gefunden.',
    'members.name': 'Name',
    'members.email': 'E-Mail',
    'members.tags': 'Tags',
    'members.balance': 'Guthaben',
    'members.available': 'Jetzt nutzbar',
    'members.next': 'Nächste Seite',
    'members.first': 'Erste Seite',
    'member.back': 'Zurück zu den Mitgliedern',
    'member.credits': 'Credits',
    'member.balance': 'Credit-Guthaben: {balance}',
    'member.available': 'Jetzt nutzbar: {available}',
    'member.total': 'Gesamt: {total} Credits, {available} jetzt nutzbar',
    'member.unlimitedUntil': 'Unbegrenzt bis {date}',
    'member.periodEnds': 'Zeitraum endet am {date}',
    'member.usage': 'Einlösbare Kurse',
    'member.allClasses': 'Alle Kurse',
    'member.usageLimits': 'Nutzungsgrenzen',
    'member.usageLimit': '{scheduler}: {used} von {max} pro {per}',
    'member.expirations': 'Credit-Abläufe',
    'member.noExpirations': 'Keine Abläufe.',
    'member.log': 'Credit-Verlauf',
    'member.noLog': 'Noch nichts.',
    'member.by': 'von {actor}',
    'member.reason': 'Grund: {reason}',
    'member.purchases': 'Käufe',
    'member.noPurchases': 'Keine Käufe.',
    'member.paid': '{amount} bezahlt',
    'adjust.add': 'Credits hinzufügen',
    'adjust.amount': 'Credits',
    'adjust.reason': 'Grund',
    'adjust.addSubmit': 'Credits hinzufügen',
    'adjust.set': 'Guthaben festlegen',
    'adjust.newTotal': 'Neues Guthaben',
    'adjust.basedOn': 'Ausgehend vom Guthaben {balance}',
    'adjust.setSubmit': 'Guthaben festlegen',
    'adjust.conflict': 'Das Guthaben hat sich während der Bearbeitung auf {balance} geändert. Es wurde nichts geändert: Bitte das neue Guthaben prüfen und erneut festlegen.',
    'adjust.added': '{amount} Credits hinzugefügt.',
    'adjust.setDone': 'Das Guthaben ist jetzt {balance}.',
    'adjust.unlimited': 'Ein unbegrenztes Konto hat kein Guthaben zum Hinzufügen oder Festlegen.',
    'why.title': 'Warum kann sie nicht buchen?',
    'why.scheduler': 'Kurs',
    'why.submit': 'Prüfen',
    'why.canBook': 'Buchbar: ja. Der Kurs kostet {cost} Credits.',
    'why.cannotBook': 'Buchbar: nein. Der Kurs kostet {cost} Credits; es fehlen {shortBy}.',
    'why.noLots': 'Sie hat keine Credits, die zahlen könnten.',
    'why.lotOk': '{account}: {remaining} übrig — kann zahlen.',
    'why.lotNot': '{account}: {remaining} übrig — kann nicht zahlen: {reasons}.',
    'why.expiresAt': 'läuft ab am {date}',
    'reason.expired': 'abgelaufen',
    'reason.paused': 'pausiert',
    'reason.scheduler_not_redeemable': 'für diesen Kurs nicht gültig',
    'reason.wrong_trainer': 'an einen anderen Trainer gebunden',
    'reason.subscription_inactive': 'das Abo ist nicht aktiv',
    'reason.usage_limit_reached': 'die Nutzungsgrenze ist erreicht',
    'reason.not_started': 'noch nicht begonnen',
    'reason.held': 'von einer anderen Buchung reserviert',
    'log.credits': 'Credits',
    'error.generic': 'Etwas ist schiefgegangen: {detail}',
    'loading': 'Wird geladen…',
    'portal.hello': 'Hallo, {name}',
    'portal.balance': 'Ihre Credits',
    'portal.accounts': 'Ihre Produkte',
  },
};

export const languages = { en: 'English', de: 'Deutsch' };

let current = pick();

function pick() {
  const stored = localStorage.getItem(STORED);
  if (stored && messages[stored]) return stored;
  for (const tag of navigator.languages || [navigator.language]) {
    const base = String(tag).slice(0, 2).toLowerCase();
    if (messages[base]) return base;
  }
  return 'en';
}

export function lang() {
  return current;
}

export function setLang(code) {
  if (!messages[code]) return;
  current = code;
  localStorage.setItem(STORED, code);
  document.documentElement.lang = code;
}

/** The message for a key in the current language, with {placeholders} filled in. */
export function t(key, vars = {}) {
  const text = messages[current][key] ?? messages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** A select that switches the language and calls back to draw the page again. */
export function languageSwitch(h, onChange) {
  const select = h('select', { id: 'lang', onchange: e => { setLang(e.target.value); onChange(); } },
    Object.entries(languages).map(([code, name]) => h('option', { value: code, selected: code === current }, name)));
  return h('span', { class: 'lang' }, h('label', { for: 'lang' }, t('lang.label')), ' ', select);
}

document.documentElement.lang = current;
