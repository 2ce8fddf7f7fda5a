import { Cascader } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { regionLevel } from '../../shared/regions/regionCode';
import { api } from '../api';
import { fmt, useI18n } from '../i18n';

interface Region {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
  hasChildren: boolean;
}
interface Option {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: Option[];
}

const PREFIX = [0, 2, 4, 6, 9, 12];
/** Codes from the province down to `code` itself ('130702001000' → province, city, county, township). */
export function regionChain(code: string): string[] {
  const level = regionLevel(code);
  const chain: string[] = [];
  for (let l = 1; l <= level; l++) chain.push(code.slice(0, PREFIX[l]).padEnd(12, '0'));
  return chain;
}

const fetchRegions = (q: { parentCode?: string; q?: string }) =>
  api.get<{ items: Region[] }>('/api/regions', q).then((r) => r.items);
const toOption = (r: Region): Option => ({ value: r.code, label: r.name, isLeaf: !r.hasChildren });

function attach(options: Option[], parent: string, kids: Option[]): Option[] {
  return options.map((o) =>
    o.value === parent
      ? { ...o, children: kids }
      : o.children
        ? { ...o, children: attach(o.children, parent, kids) }
        : o,
  );
}
function find(options: Option[], code: string): Option | undefined {
  for (const o of options) {
    if (o.value === code) return o;
    const f = o.children && find(o.children, code);
    if (f) return f;
  }
  return undefined;
}

interface Props {
  value?: string | null;
  onChange?: (code: string | null) => void;
  placeholder?: string;
  style?: React.CSSProperties;
  id?: string;
}

/**
 * Administrative region (GB/T 2260, 12 digits): a cascade loaded level by level, or, while
 * the user types, the server's name matches. Any level may be chosen.
 */
export function RegionPicker({ value, onChange, placeholder, style, id }: Props) {
  const { m } = useI18n();
  const [options, setOptions] = useState<Option[]>([]);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const [results, setResults] = useState<Option[] | null>(null);
  const [search, setSearch] = useState('');
  const seq = useRef(0);

  const loadChildren = useCallback(async (parent: string) => {
    const existing = find(optionsRef.current, parent);
    if (existing?.children) return;
    const kids = (await fetchRegions({ parentCode: parent })).map(toOption);
    setOptions((o) => {
      const next = attach(o, parent, kids);
      optionsRef.current = next;
      return next;
    });
  }, []);

  // the top level, then the chain of the current value so that its names show
  useEffect(() => {
    let alive = true;
    (async () => {
      if (optionsRef.current.length === 0) {
        const top = (await fetchRegions({})).map(toOption);
        if (!alive) return;
        optionsRef.current = top;
        setOptions(top);
      }
      if (value && /^\d{12}$/.test(value)) {
        for (const c of regionChain(value).slice(0, -1)) {
          if (!alive) return;
          if (find(optionsRef.current, c)) await loadChildren(c);
        }
      }
    })().catch(() => {});
    return () => {
      alive = false;
    };
  }, [value, loadChildren]);

  const onSearch = (q: string) => {
    setSearch(q);
    const mine = ++seq.current;
    if (!q.trim()) {
      setResults(null);
      return;
    }
    fetchRegions({ q: q.trim() })
      .then((items) => {
        if (mine === seq.current)
          setResults(items.slice(0, 100).map((r) => ({ value: r.code, label: r.name, isLeaf: true })));
      })
      .catch(() => {});
  };

  const path = value && /^\d{12}$/.test(value) ? regionChain(value) : undefined;
  return (
    <Cascader<Option>
      id={id}
      style={{ width: '100%', ...style }}
      options={results ?? options}
      loadData={(selected) => {
        const last = selected[selected.length - 1];
        if (last && !results) void loadChildren(last.value);
      }}
      value={path}
      changeOnSelect
      onChange={(v) => {
        const list = (v ?? []) as string[];
        onChange?.(list.length ? list[list.length - 1]! : null);
        if (results) onSearch('');
      }}
      displayRender={(labels) =>
        (path ?? []).map((c, i) => find(options, c)?.label ?? labels[i] ?? c).join(' / ')
      }
      showSearch={{
        searchValue: search,
        onSearch,
        filter: () => true,
        render: (_input, p) =>
          p.map((o) => fmt(m.common.withNote, { text: o.label, note: o.value })).join(' / '),
      }}
      placeholder={placeholder ?? m.org.regionPlaceholder}
      allowClear
    />
  );
}
