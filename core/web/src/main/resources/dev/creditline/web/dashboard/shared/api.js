// Every data call goes to the public HTTP API with the key as a bearer token; the key lives in sessionStorage, so
// it is gone when the tab closes.
const KEY = 'creditline.key';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  signIn: key => sessionStorage.setItem(KEY, key),
  signOut: () => sessionStorage.removeItem(KEY),
};

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
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotency) headers['Idempotency-Key'] = idempotency;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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
