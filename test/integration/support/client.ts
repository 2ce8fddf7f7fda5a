import type { App } from '../../../src/server/app.js';

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | number | string[] | undefined>;
}

/** A browser-like client: keeps the session cookie and sends the CSRF header on mutations. */
export interface Client {
  username: string | null;
  csrf: string | null;
  cookie: string | null;
  get<T = any>(url: string): Promise<Res<T>>;
  post<T = any>(url: string, body?: unknown): Promise<Res<T>>;
  patch<T = any>(url: string, body?: unknown): Promise<Res<T>>;
  delete<T = any>(url: string): Promise<Res<T>>;
  request<T = any>(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Res<T>>;
  login(username: string, password: string): Promise<Client>;
}

export function clientFor(app: App): Client {
  const c: Client = {
    username: null,
    csrf: null,
    cookie: null,
    async request(method, url, body, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (c.cookie) h.cookie = c.cookie;
      if (c.csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = c.csrf;
      if (body !== undefined && typeof body !== 'string') h['content-type'] = 'application/json';
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: h,
        payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      let parsed: unknown = res.body;
      if ((res.headers['content-type'] ?? '').toString().includes('json') && res.body)
        parsed = JSON.parse(res.body);
      return { status: res.statusCode, body: parsed as never, headers: res.headers };
    },
    get: (url) => c.request('GET', url),
    post: (url, body) => c.request('POST', url, body ?? {}),
    patch: (url, body) => c.request('PATCH', url, body ?? {}),
    delete: (url) => c.request('DELETE', url),
    async login(username, password) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password },
      });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const sid = res.cookies.find((k) => k.name === 'niudai_sid');
      const next = clientFor(app);
      next.username = username;
      next.cookie = `niudai_sid=${sid?.value}`;
      next.csrf = (JSON.parse(res.body) as { csrfToken: string }).csrfToken;
      return next;
    },
  };
  return c;
}
