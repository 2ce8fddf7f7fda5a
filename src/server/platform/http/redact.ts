/**
 * What the request log may show of a URL: the path and the query with the values of
 * personal-data parameters (phones, ID numbers, names, free-text searches, the digits that
 * open a public appeal) replaced. docs/people.md promises no ID number or phone in a log.
 */

/** Query parameters whose values are never logged (compared without case, `_` and `-`). */
const PERSONAL = new Set([
  'phone',
  'phone4',
  'mobile',
  'tel',
  'q',
  'query',
  'keyword',
  'keywords',
  'search',
  'idnumber',
  'idno',
  'idcard',
  'name',
  'username',
  'contactname',
  'contactphone',
  'email',
  'address',
  'token',
  'password',
]);

import { normalizeTrackingCode } from '../../../shared/trackingCode.js';

export const REDACTED = '[redacted]';

const personal = (key: string) => {
  let k = key;
  try {
    k = decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    // a malformed escape: judge the raw name
  }
  return PERSONAL.has(k.toLowerCase().replace(/[_\-\s[\]]/g, ''));
};

/** A path segment that is a tracking code keeps its first two characters. */
const maskPath = (path: string) =>
  path.replace(/[^/]+/g, (seg) =>
    seg.length >= 10 && seg.length <= 12 && normalizeTrackingCode(seg) ? `${seg.slice(0, 2)}********` : seg,
  );

/**
 * The URL with the values of personal-data query parameters replaced by `[redacted]`, and
 * a tracking code in its path masked (with the phone's last four digits it opens an appeal).
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return maskPath(url);
  const hash = url.indexOf('#', at);
  const query = url.slice(at + 1, hash < 0 ? undefined : hash);
  const parts = query.split('&').map((p) => {
    const eq = p.indexOf('=');
    const key = eq < 0 ? p : p.slice(0, eq);
    return eq >= 0 && personal(key) ? `${key}=${REDACTED}` : p;
  });
  return `${maskPath(url.slice(0, at))}?${parts.join('&')}`;
}

/** The request as the log shows it (pino's `req` serializer). */
export function logRequest(req: {
  method?: string;
  url?: string;
  ip?: string;
  hostname?: string;
  socket?: { remoteAddress?: string };
}): Record<string, unknown> {
  return {
    method: req.method,
    url: req.url === undefined ? undefined : redactUrl(req.url),
    host: req.hostname,
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
  };
}
