// Every data call goes to the public HTTP API as the signed-in person: with an API key as a bearer token (kept in
// sessionStorage, so it is gone when the tab closes), or with the session the server set as an HttpOnly cookie after
// a sign-in with email and password; then writes carry the session's CSRF token, which the page keeps beside it.
const KEY = 'creditline.key';
const CSRF = 'creditline.csrf';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  csrf: () => sessionStorage.getItem(CSRF),
  signedIn: () => Boolean(sessionStorage.getItem(KEY) || sessionStorage.getItem(CSRF)),
  signIn: key => { sessionStorage.removeItem(CSRF); sessionStorage.setItem(KEY, key); },
  /** Signed in with a session cookie: its CSRF token (from the sign-in's answer or GET /v1/auth/session). */
  started: csrf => { sessionStorage.removeItem(KEY); sessionStorage.setItem(CSRF, csrf); },
  signOut: () => { sessionStorage.removeItem(KEY); sessionStorage.removeItem(CSRF); },
};

/** The headers that make a call the signed-in person's: the key, or (the cookie goes by itself) the CSRF token. */
export function authHeaders(method, key = session.key()) {
  if (key) return { Authorization: `Bearer ${key}` };
  const csrf = session.csrf();
  return csrf && method !== 'GET' && method !== 'HEAD' ? { 'X-CSRF-Token': csrf } : {};
}

/** An answer other than 2xx: its status and its problem body (application/problem+json). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

/** A random idempotency key (crypto.randomUUID needs a secure context; plain http on a LAN is not one). */
export function idempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'web-' + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

export async function api(path, { method = 'GET', body, key = session.key(), idempotency } = {}) {
  const headers = { Accept: 'application/json', ...authHeaders(method, key) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotency) headers['Idempotency-Key'] = idempotency;
  const response = await fetch(path, { method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** A query string of the given parameters, leaving out empty ones. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') q.set(name, value);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
