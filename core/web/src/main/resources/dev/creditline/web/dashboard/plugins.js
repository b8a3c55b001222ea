// Pages that plugins add (GET /v1/dashboard/pages): each is an ES module served from its plugin's jar that exports
// render(element, context). The context gives it the HTTP API as the signed-in person and nothing else.
import { authHeaders, idempotencyKey } from './shared/api.js';
import { h, show } from './shared/dom.js';
import { lang, t } from './shared/i18n.js';

/** The studio's plugin pages for this person, in the person's language. */
export async function pluginPages(api) {
  return (await api(`/v1/dashboard/pages?language=${encodeURIComponent(lang())}`)).items;
}


/** The HTTP API for a plugin page: never throws on an error answer, it resolves to {status, body}. */
async function call(method, path, body) {
  const extra = { Accept: 'application/json' };
  if (body !== undefined) extra['Content-Type'] = 'application/json';
  if (method !== 'GET') extra['Idempotency-Key'] = idempotencyKey();
  const response = await fetch(path, { method, headers: { ...extra, ...authHeaders(method) }, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { detail: text }; }
  return { status: response.status, body: json };
}

/** Saves what an API path answers (a CSV export) under a file name. */
async function download(path, filename) {
  const response = await fetch(path, { headers: authHeaders('GET'), credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = h('a', { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Opens a plugin's page in the main area. */
export async function pluginScreen(app, pages, pluginId, slug) {
  const page = pages.find(p => p.pluginId === pluginId && p.slug === slug);
  if (!page) {
    show(app.main, h('p', { class: 'notice error', role: 'alert' }, t('plugins.missing')));
    return;
  }
  const element = h('section', { class: 'plugin-page', 'data-plugin': pluginId });
  show(app.main, element);
  const module = await import(page.module);
  await module.render(element, { api: call, download, language: lang(), studio: app.studio });
}
