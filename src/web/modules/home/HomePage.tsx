import {
  ApartmentOutlined,
  AuditOutlined,
  ShopOutlined,
  TeamOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Card, Col, Descriptions, Row, Space, Statistic, Tag, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Permission } from '../../../shared/permissions';
import { api, type Paged } from '../../api';
import { fmt, useI18n } from '../../i18n';
import { useSession } from '../../session';
import { TodoPanel } from './TodoPanel';

type Counts = Partial<Record<'orgs' | 'units' | 'uncovered' | 'users', number>>;

const COUNTS: { key: keyof Counts; path: string; query?: Record<string, string>; permission: Permission }[] =
  [
    { key: 'orgs', path: '/api/orgs', permission: 'org:read' },
    { key: 'units', path: '/api/units', permission: 'unit:read' },
    { key: 'uncovered', path: '/api/units', query: { covered: 'no' }, permission: 'unit:read' },
    { key: 'users', path: '/api/users', permission: 'user:read' },
  ];

/** The 工作台: what is the user's to do across modules, then their organization and counts within their scope. */
export default function HomePage() {
  const { m } = useI18n();
  const { me, can } = useSession();
  const [counts, setCounts] = useState<Counts>({});

  useEffect(() => {
    for (const c of COUNTS) {
      if (!can(c.permission)) continue;
      api
        .get<Paged<unknown>>(c.path, { ...c.query, pageSize: 1 })
        .then((r) => setCounts((x) => ({ ...x, [c.key]: r.total })))
        .catch(() => {});
    }
  }, [can]);

  if (!me) return null;
  const coverage =
    counts.units && counts.uncovered !== undefined
      ? ((counts.units - counts.uncovered) / counts.units) * 100
      : undefined;
  const stat = (
    title: string,
    value: number | undefined,
    icon: ReactNode,
    to: string,
    extra?: { suffix?: string; danger?: boolean },
  ) => (
    <Col flex="1 1 220px" key={title}>
      <Link to={to}>
        <Card hoverable>
          <Statistic
            title={title}
            value={value ?? '-'}
            precision={extra?.suffix ? 1 : 0}
            suffix={extra?.suffix}
            prefix={icon}
            styles={{ content: extra?.danger ? { color: '#cf1322' } : undefined }}
          />
        </Card>
      </Link>
    </Col>
  );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="home-greeting">
          {fmt(m.home.greeting, { name: me.user.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{m.home.intro}</Typography.Paragraph>
        <Descriptions column={{ xs: 1, md: 3 }} size="small">
          <Descriptions.Item label={m.home.org}>
            <span data-testid="home-org">{me.organization.name}</span>
          </Descriptions.Item>
          <Descriptions.Item label={m.home.roles}>
            {me.roles.map((r) => (
              <Tag key={r.key}>{r.name}</Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={m.home.scope}>
            {me.dataScope.kinds.map((k) => (
              <Tag color="blue" key={k}>
                {m.dataScope[k]}
              </Tag>
            ))}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <TodoPanel />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {m.inbox.overview}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {can('org:read') && stat(m.home.orgCount, counts.orgs, <ApartmentOutlined />, '/orgs')}
        {can('unit:read') && stat(m.home.unitCount, counts.units, <ShopOutlined />, '/units')}
        {can('unit:read') &&
          stat(m.home.uncoveredCount, counts.uncovered, <WarningOutlined />, '/units?covered=no', {
            danger: true,
          })}
        {can('unit:read') && stat(m.home.coverage, coverage, <AuditOutlined />, '/units', { suffix: '%' })}
        {can('user:read') && stat(m.home.userCount, counts.users, <TeamOutlined />, '/system/users')}
      </Row>
    </Space>
  );
}
