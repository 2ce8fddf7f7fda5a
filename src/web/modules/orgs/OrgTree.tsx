import { Tag, Tree, type TreeDataNode, Typography } from 'antd';
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { reportError } from '../../feedback';
import { useI18n } from '../../i18n';
import { type OrgView, orgApi } from './api';

type Key = number | 'root';
interface Level {
  items: OrgView[];
  total: number;
  page: number;
}
const MORE = 'more:';

export interface OrgTreeHandle {
  /** reloads the children of these nodes (after a create, move or edit) */
  refresh: (parents: Key[]) => Promise<void>;
  /** expands the path root → … → the organization and selects it */
  focus: (ancestorIds: number[], id: number) => Promise<void>;
}

interface Props {
  selectedId?: number;
  onSelect: (id: number) => void;
  height: number;
}

/** The lazily loaded organization tree: the visible tops first, children on expand (200 a page). */
export const OrgTree = forwardRef<OrgTreeHandle, Props>(function OrgTree(
  { selectedId, onSelect, height },
  ref,
) {
  const { m } = useI18n();
  const [levels, setLevels] = useState<Map<Key, Level>>(new Map());
  const levelsRef = useRef(levels);
  const [expanded, setExpanded] = useState<number[]>([]);
  const treeRef = useRef<{
    scrollTo: (o: { key: number; align?: 'top' | 'bottom' | 'auto' }) => void;
  } | null>(null);
  const pendingScroll = useRef<{ id: number; parent: Key } | null>(null);
  const holder = useRef<HTMLDivElement>(null);
  const [tick, setTick] = useState(0);

  // scroll to a focused organization once it is rendered (expanded, and on a loaded page)
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each render that may show it
  useEffect(() => {
    const p = pendingScroll.current;
    if (!p || !levels.get(p.parent)?.items.some((o) => o.id === p.id)) return;
    let waited = 0;
    let t: ReturnType<typeof setTimeout>;
    // cleared only once it has scrolled: a render in between cancels the timer, and the
    // next run of this effect schedules it again
    const attempt = () => {
      if (pendingScroll.current !== p) return;
      // a level that is sliding open is one placeholder row in the virtual list: its rows
      // can be scrolled to only once the motion has ended
      if (holder.current?.querySelector('.ant-tree-treenode-motion') && ++waited < 40) {
        t = setTimeout(attempt, 50);
        return;
      }
      pendingScroll.current = null;
      treeRef.current?.scrollTo({ key: p.id, align: 'auto' });
    };
    t = setTimeout(attempt, 0);
    return () => clearTimeout(t);
  }, [levels, expanded, tick]);

  // the newest request per level wins: an older answer arriving late must not hide a new child
  const loadSeq = useRef(new Map<Key, number>());
  const load = useCallback(async (key: Key, page = 1) => {
    const seq = (loadSeq.current.get(key) ?? 0) + 1;
    loadSeq.current.set(key, seq);
    const r = await orgApi.children(key, page);
    if (loadSeq.current.get(key) !== seq) return;
    const prev = levelsRef.current.get(key);
    const items = page === 1 ? r.items : [...(prev?.items ?? []), ...r.items];
    const next = new Map(levelsRef.current).set(key, { items, total: r.total, page });
    levelsRef.current = next;
    setLevels(next);
  }, []);

  // a user sees one top organization (their own) in most cases: open it, as a RuoYi tree does
  useEffect(() => {
    (async () => {
      await load('root');
      const tops = levelsRef.current.get('root')?.items ?? [];
      const only = tops.length === 1 ? tops[0] : undefined;
      if (!only?.hasChildren) return;
      if (!levelsRef.current.has(only.id)) await load(only.id);
      setExpanded((e) => (e.includes(only.id) ? e : [...e, only.id]));
    })().catch(reportError);
  }, [load]);

  useImperativeHandle(
    ref,
    () => ({
      refresh: async (parents) => {
        for (const p of parents) if (p === 'root' || levelsRef.current.has(p)) await load(p);
      },
      focus: async (ancestorIds, id) => {
        const chain: Key[] = ['root', ...ancestorIds];
        for (const k of chain) if (!levelsRef.current.has(k)) await load(k);
        // a level read before the organization was created (or moved here) is read again
        const parent = chain[chain.length - 1]!;
        const level = levelsRef.current.get(parent);
        const complete = level && level.items.length >= level.total;
        if (complete && !level.items.some((o) => o.id === id)) await load(parent);
        setExpanded((e) => [...new Set([...e, ...ancestorIds])]);
        pendingScroll.current = { id, parent: ancestorIds[ancestorIds.length - 1] ?? 'root' };
        setTick((n) => n + 1);
      },
    }),
    [load],
  );

  const build = (key: Key): TreeDataNode[] | undefined => {
    const level = levels.get(key);
    if (!level) return undefined;
    const nodes: TreeDataNode[] = level.items.map((o) => {
      // hasChildren counts children outside the user's scope too: an empty page makes a leaf
      const loaded = levels.get(o.id);
      const leaf = !o.hasChildren || loaded?.total === 0;
      return {
        key: o.id,
        isLeaf: leaf,
        children: leaf ? undefined : build(o.id),
        title: (
          <span data-testid={`org-node-${o.id}`}>
            {o.name}
            {o.status === 'inactive' && (
              <Tag style={{ marginLeft: 6 }} variant="filled">
                {m.common.inactive}
              </Tag>
            )}
          </span>
        ),
      };
    });
    if (level.items.length < level.total) {
      nodes.push({
        key: `${MORE}${key}`,
        isLeaf: true,
        selectable: true,
        title: <Typography.Link>{m.org.loadMore}</Typography.Link>,
      });
    }
    return nodes;
  };

  const loadedKeys = [...levels.keys()].filter((k): k is number => k !== 'root');
  return (
    <div ref={holder}>
      <Tree
        ref={treeRef as never}
        blockNode
        showLine
        height={height}
        treeData={build('root') ?? []}
        loadedKeys={loadedKeys}
        expandedKeys={expanded}
        onExpand={(keys) => setExpanded(keys.map(Number))}
        selectedKeys={selectedId ? [selectedId] : []}
        loadData={async (node) => {
          if (typeof node.key === 'number' && !levelsRef.current.has(node.key))
            await load(node.key).catch(reportError);
        }}
        onSelect={(_keys, info) => {
          const key = info.node.key;
          if (typeof key === 'string' && key.startsWith(MORE)) {
            const parent = key.slice(MORE.length);
            const p: Key = parent === 'root' ? 'root' : Number(parent);
            load(p, (levelsRef.current.get(p)?.page ?? 1) + 1).catch(reportError);
          } else if (typeof key === 'number') onSelect(key);
        }}
        data-testid="org-tree"
      />
    </div>
  );
});
