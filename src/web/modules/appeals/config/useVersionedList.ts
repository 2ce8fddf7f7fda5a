import type { FormInstance } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { feedback, reportError } from '../../../feedback';
import type { Versioned } from './api';

/**
 * How a save ended: saved; `stale` — another administrator saved the list first, the
 * platform's conflict notice is shown and the list reloaded (the edit is dropped); `failed` —
 * the error is shown (on the form's fields when it names them).
 */
export type SaveOutcome = 'saved' | 'stale' | 'failed';

/**
 * A configuration list that is read with its version and saved whole with it (routing rules,
 * time limits, calendar overrides): the state, loading and saving flags, and `save`, which
 * sends the version the list was read at and keeps what the server answers.
 */
export function useVersionedList<T>(
  load: () => Promise<Versioned<T>>,
  put: (items: T[], version: number) => Promise<Versioned<T>>,
) {
  const [list, setList] = useState<Versioned<T> | null>(null);
  const [loading, setLoading] = useState(true);
  const [saving, setSaving] = useState(false);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setList(await load());
    } catch (e) {
      reportError(e);
    } finally {
      setLoading(false);
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);

  async function save(next: T[], done: string, form?: FormInstance): Promise<SaveOutcome> {
    if (!list) return 'failed';
    setSaving(true);
    let outcome: SaveOutcome = 'failed';
    try {
      setList(await put(next, list.version));
      feedback()?.message.success(done);
      outcome = 'saved';
    } catch (e) {
      reportError(e, {
        form,
        onConflict: () => {
          outcome = 'stale';
          void reload();
        },
      });
    } finally {
      setSaving(false);
    }
    return outcome;
  }

  return { items: list?.items ?? [], loading, saving, reload, save };
}
