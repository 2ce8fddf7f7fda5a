import { TreeSelect } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../../i18n';
import { type OrgView, orgApi } from './api';

interface Node {
  id: number;
  pId: number;
  value: number;
  title: string;
  isLeaf: boolean;
}
type Labeled = { value: number; label: string };

interface Props {
  value?: number | number[] | null;
  onChange?: (v: number | number[] | null) => void;
  multiple?: boolean;
  placeholder?: string;
  disabled?: boolean;
  /** names already known for the current value (saves a request per id) */
  labels?: Record<number, string>;
  /** ids that may not be chosen (for example the organization being moved) */
  disabledIds?: number[];
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
}

const toNode = (o: OrgView, pId: number): Node => ({
  id: o.id,
  pId,
  value: o.id,
  title: o.name,
  isLeaf: !o.hasChildren,
});

/**
 * Picks one or several organizations in scope: a lazily loaded tree, or, while the user
 * types, the server's name / pinyin-initials matches.
 */
export function OrgPicker({
  value,
  onChange,
  multiple,
  placeholder,
  disabled,
  labels,
  disabledIds,
  allowClear = true,
  style,
  id,
}: Props) {
  const { m } = useI18n();
  const [tree, setTree] = useState<Node[]>([]);
  const [results, setResults] = useState<Node[] | null>(null);
  const [search, setSearch] = useState('');
  const names = useRef(new Map<number, string>(Object.entries(labels ?? {}).map(([k, v]) => [Number(k), v])));
  const [, bump] = useState(0);
  const seq = useRef(0);

  const remember = useCallback((items: OrgView[]) => {
    for (const o of items) names.current.set(o.id, o.name);
  }, []);

  const treeNow = useRef<Node[]>([]);
  const [expanded, setExpanded] = useState<number[]>([]);
  const addNodes = useCallback((items: OrgView[], parent: number) => {
    setTree((t) => {
      const next = [
        ...t,
        ...items.filter((o) => !t.some((n) => n.id === o.id)).map((o) => toNode(o, parent)),
      ];
      treeNow.current = next;
      return next;
    });
  }, []);
  const loadChildren = useCallback(
    async (parent: number) => {
      if (treeNow.current.some((n) => n.pId === parent)) return;
      const r = await orgApi.children(parent);
      remember(r.items);
      addNodes(r.items, parent);
    },
    [remember, addNodes],
  );

  const roots = useRef<Promise<void> | null>(null);
  useEffect(() => {
    roots.current = orgApi
      .children('root')
      .then((r) => {
        remember(r.items);
        addNodes(r.items, 0);
      })
      .catch(() => {});
  }, [remember, addNodes]);

  const ids = useMemo(() => (value == null ? [] : Array.isArray(value) ? value : [value]), [value]);
  // several: fetch the names not known yet
  useEffect(() => {
    if (!multiple) return;
    const missing = ids.filter((x) => !names.current.has(x)).slice(0, 50);
    if (missing.length === 0) return;
    Promise.all(missing.map((x) => orgApi.get(x).catch(() => undefined))).then((rs) => {
      for (const r of rs) if (r) names.current.set(r.id, r.name);
      bump((n) => n + 1);
    });
  }, [ids, multiple]);
  // one: load and expand the path to it, so the open tree shows (and scrolls to) the choice
  const clearAfterPath = useRef(false);
  useEffect(() => {
    if (multiple || typeof value !== 'number') return;
    let alive = true;
    (async () => {
      await roots.current;
      if (treeNow.current.some((n) => n.id === value)) return;
      const d = await orgApi.get(value);
      names.current.set(d.id, d.name);
      bump((n) => n + 1);
      for (const a of d.ancestors) {
        if (!alive) return;
        await loadChildren(a.id);
      }
      if (alive) setExpanded((e) => [...new Set([...e, ...d.ancestors.map((a) => a.id)])]);
    })()
      .catch(() => {})
      .finally(() => {
        // a choice made among search results: back to the tree now that it holds the choice
        if (alive && clearAfterPath.current) {
          clearAfterPath.current = false;
          setResults(null);
        }
      });
    return () => {
      alive = false;
    };
  }, [value, multiple, loadChildren]);

  const loadData = (node: { value?: unknown }) => loadChildren(Number(node.value));

  const onSearch = (q: string) => {
    setSearch(q);
    const mine = ++seq.current;
    if (!q.trim()) {
      if (!clearAfterPath.current) setResults(null);
      return;
    }
    orgApi
      .search(q.trim())
      .then((r) => {
        if (mine !== seq.current) return;
        remember(r.items);
        setResults(r.items.map((o) => ({ ...toNode(o, 0), isLeaf: true })));
      })
      .catch(() => {});
  };

  const blocked = new Set(disabledIds ?? []);
  const data = (results ?? tree).map((n) => ({ ...n, disabled: blocked.has(n.id) }));
  const labeled: Labeled[] = ids.map((x) => ({ value: x, label: names.current.get(x) ?? `#${x}` }));

  return (
    <TreeSelect<Labeled | Labeled[]>
      id={id}
      style={{ width: '100%', ...style }}
      treeDataSimpleMode={{ id: 'id', pId: 'pId' }}
      treeData={data}
      loadData={results ? undefined : loadData}
      treeExpandedKeys={results ? [] : expanded}
      onTreeExpand={(keys) => {
        if (!results) setExpanded(keys.map(Number));
      }}
      labelInValue
      multiple={multiple}
      value={multiple ? labeled : labeled[0]}
      onChange={(v) => {
        const list = v == null ? [] : Array.isArray(v) ? v : [v];
        for (const x of list) if (x.label && typeof x.label === 'string') names.current.set(x.value, x.label);
        const out = list.map((x) => Number(x.value));
        onChange?.(multiple ? out : (out[0] ?? null));
        if (results) {
          clearAfterPath.current = !multiple && out.length > 0 && out[0] !== value;
          onSearch('');
        }
      }}
      showSearch={{ searchValue: search, onSearch, filterTreeNode: () => true, autoClearSearchValue: true }}
      placeholder={placeholder ?? m.org.orgPickerPlaceholder}
      disabled={disabled}
      allowClear={allowClear}
      treeLine
      // the list is replaced while searching; the virtual list would chase a vanished active item
      virtual={false}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 420, overflow: 'auto', minWidth: 320 } } }}
    />
  );
}
