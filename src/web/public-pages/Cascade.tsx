import { useEffect, useState } from 'react';

export interface CascadeOption {
  value: string;
  label: string;
  leaf: boolean;
}

/**
 * A cascade of native selects (one per level, the next appears when a level with children
 * is picked): light, and the phone's own picker. `value` is the path of picked values.
 */
export function Cascade(props: {
  testId: string;
  label: string;
  placeholders: readonly string[];
  load: (parent: string | null) => Promise<CascadeOption[]>;
  value: string[];
  onChange: (path: string[]) => void;
  invalid?: boolean;
}) {
  const { load, value, onChange } = props;
  const [levels, setLevels] = useState<CascadeOption[][]>([]);
  // the options of every level the current path opens
  const key = value.join('/');
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the path changes
  useEffect(() => {
    let live = true;
    (async () => {
      const next: CascadeOption[][] = [await load(null)];
      for (let i = 0; i < value.length; i++) {
        const picked = next[i]?.find((o) => o.value === value[i]);
        if (!picked || picked.leaf) break;
        const children = await load(picked.value);
        if (children.length === 0) break;
        next.push(children);
      }
      if (live) setLevels(next);
    })().catch(() => {});
    return () => {
      live = false;
    };
  }, [key, load]);
  return (
    <div className="pub-cascade" data-testid={props.testId}>
      {levels.map((opts, i) => (
        <select
          // biome-ignore lint/suspicious/noArrayIndexKey: a level is its position
          key={i}
          aria-label={`${props.label}（${props.placeholders[i] ?? `第${i + 1}级`}）`}
          aria-invalid={props.invalid && i === 0 ? true : undefined}
          className="pub-input"
          value={value[i] ?? ''}
          onChange={(e) => onChange([...value.slice(0, i), ...(e.target.value ? [e.target.value] : [])])}
        >
          <option value="">{props.placeholders[i] ?? '请选择'}</option>
          {opts.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ))}
    </div>
  );
}
