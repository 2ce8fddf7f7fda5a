import type { TablePaginationConfig } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Paged, type Query } from '../api';
import { reportError } from '../feedback';
import { fmt, useI18n } from '../i18n';

/** A RuoYi-style list: filters from the search form, page and size, total, reload. */
export function usePaged<T>(path: string, initialFilters: Query = {}) {
  const { m } = useI18n();
  const [filters, setFilters] = useState<Query>(initialFilters);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<Paged<T>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const r = await api.get<Paged<T>>(path, { ...filters, page, pageSize });
      if (mine === seq.current) setData(r);
    } catch (e) {
      if (mine === seq.current) reportError(e);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [path, filters, page, pageSize]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const search = useCallback((f: Query) => {
    setFilters(f);
    setPage(1);
  }, []);

  const pagination: TablePaginationConfig = {
    current: page,
    pageSize,
    total: data.total,
    showSizeChanger: true,
    pageSizeOptions: [10, 20, 50, 100],
    showTotal: (total) => fmt(m.common.total, { total }),
    onChange: (p, s) => {
      setPage(s === pageSize ? p : 1);
      setPageSize(s);
    },
  };

  return { data, loading, filters, search, reload, pagination };
}
