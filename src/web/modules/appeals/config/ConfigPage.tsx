import { Card, Tabs } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { reportError } from '../../../feedback';
import { type CategoryRow, configApi } from './api';
import { CalendarTab } from './CalendarTab';
import { CategoryTab } from './CategoryTab';
import { RoutingTab } from './RoutingTab';
import { SlaTab } from './SlaTab';

/**
 * 诉求配置 (appeal:config): the category tree, the routing rules in order, the time limits
 * per category and priority, and the local overrides of the working-day calendar.
 */
export default function ConfigPage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'categories';
  const [categories, setCategories] = useState<CategoryRow[]>([]);
  const [loading, setLoading] = useState(true);

  // the categories (with their versions) serve every tab; each list tab reads its own list
  // with the list's version (useVersionedList)
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setCategories((await configApi.categories()).items);
    } catch (e) {
      reportError(e);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Card title="诉求配置" data-testid="appeal-config">
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        items={[
          {
            key: 'categories',
            label: '诉求分类',
            children: <CategoryTab categories={categories} loading={loading} reload={load} />,
          },
          { key: 'routing', label: '分派规则', children: <RoutingTab categories={categories} /> },
          { key: 'sla', label: '办理时限', children: <SlaTab categories={categories} /> },
          { key: 'calendar', label: '工作日历', children: <CalendarTab /> },
        ]}
      />
    </Card>
  );
}
