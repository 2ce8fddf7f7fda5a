import { Card, Tabs } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { reportError } from '../../../feedback';
import { type CategoryRow, configApi, type RoutingRule, type SlaRule } from './api';
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
  const [rules, setRules] = useState<RoutingRule[]>([]);
  const [sla, setSla] = useState<SlaRule[]>([]);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [c, cfg] = await Promise.all([configApi.categories(), configApi.config()]);
      setCategories(c.items);
      setRules(cfg.rules);
      setSla(cfg.sla);
    } catch (e) {
      reportError(e);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const shared = { categories, loading, reload: load };
  return (
    <Card title="诉求配置" data-testid="appeal-config">
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        items={[
          { key: 'categories', label: '诉求分类', children: <CategoryTab {...shared} /> },
          { key: 'routing', label: '分派规则', children: <RoutingTab {...shared} rules={rules} /> },
          { key: 'sla', label: '办理时限', children: <SlaTab {...shared} rules={sla} /> },
          { key: 'calendar', label: '工作日历', children: <CalendarTab /> },
        ]}
      />
    </Card>
  );
}
