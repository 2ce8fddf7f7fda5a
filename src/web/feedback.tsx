import { App, type FormInstance } from 'antd';
import { useEffect } from 'react';
import { ApiError } from './api';
import { useI18n } from './i18n';
import type { Messages } from './locales/zh';

type AppApi = ReturnType<typeof App.useApp>;
let appApi: AppApi | undefined;
let messages: Messages | undefined;

/** Lets code outside components (error reporting) use antd's context-aware message API. */
export function FeedbackBridge() {
  const a = App.useApp();
  const { m } = useI18n();
  useEffect(() => {
    appApi = a;
    messages = m;
  }, [a, m]);
  return null;
}

export const feedback = () => appApi;

interface FieldIssue {
  field: string;
  message: string;
}

/** Field errors of a VALIDATION error: `[{path:'body/name', message}]` or `{ field: 'level' }`. */
export function fieldIssues(err: ApiError, rulesField?: string): FieldIssue[] {
  const d = err.details;
  if (Array.isArray(d)) {
    return d
      .filter((x): x is { path: string; message: string } => typeof x?.path === 'string')
      .map((x) => ({
        field: x.path.replace(/^(body|querystring|params)\/?/, '').split('/')[0] ?? '',
        message: x.message,
      }))
      .filter((x) => x.field);
  }
  if (d && typeof d === 'object' && typeof (d as { field?: unknown }).field === 'string') {
    return [{ field: (d as { field: string }).field, message: err.message }];
  }
  if (rulesField && d && typeof d === 'object' && Array.isArray((d as { rules?: unknown }).rules)) {
    return [{ field: rulesField, message: err.message }];
  }
  return [];
}

interface ReportOptions {
  /** the form whose fields the VALIDATION details point to */
  form?: FormInstance;
  /** called after a version CONFLICT, to reload the record */
  onConflict?: () => void;
  /** the field a password-policy error (`details.rules`) belongs to */
  rulesField?: string;
}

/** Shows an error the way the platform does: server message, field errors, conflict reload. */
export function reportError(err: unknown, opts: ReportOptions = {}): void {
  const msg = appApi?.message;
  const m = messages;
  if (!(err instanceof ApiError)) {
    console.warn(err);
    msg?.error(m?.errors.failed ?? 'Error');
    return;
  }
  if (err.code === 'UNAUTHENTICATED' && err.status === 401) return; // the session handler redirects
  if (err.code === 'NETWORK') {
    msg?.error(m?.errors.network ?? err.message);
    return;
  }
  const stale = (err.details as { reason?: unknown } | undefined)?.reason === 'version';
  if (err.code === 'CONFLICT' && stale && opts.onConflict) {
    appApi?.notification.warning({ title: err.message, description: m?.errors.conflict });
    opts.onConflict();
    return;
  }
  if (err.code === 'VALIDATION') {
    const issues = fieldIssues(err, opts.rulesField);
    const known = new Set<string>();
    if (opts.form && issues.length > 0) {
      const registered = fieldNames(opts.form);
      const fields = issues.filter((i) => registered.has(i.field));
      for (const i of fields) known.add(i.field);
      opts.form.setFields(
        [...new Set(fields.map((i) => i.field))].map((name) => ({
          name,
          errors: fields.filter((i) => i.field === name).map((i) => i.message),
        })),
      );
    }
    const rest = issues.filter((i) => !known.has(i.field));
    if (rest.length > 0 && Array.isArray(err.details)) {
      appApi?.notification.error({
        title: err.message,
        description: rest.map((i) => `${i.field}: ${i.message}`).join('\n'),
      });
      return;
    }
  }
  msg?.error(err.message || m?.errors.failed || 'Error');
}

/** Names of the fields a form has registered (top-level). */
function fieldNames(form: FormInstance): Set<string> {
  const names = new Set<string>();
  form.getFieldsValue(true, (meta) => {
    const first = meta?.name?.[0];
    if (first !== undefined) names.add(String(first));
    return false;
  });
  return names;
}
