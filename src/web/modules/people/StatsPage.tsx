import { Card, Form, Segmented, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { reportError } from '../../feedback';
import { OrgPicker } from '../orgs/OrgPicker';
import { type CompositionView, type MembershipStatsView, peopleApi } from './api';

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
const NEED_ORG = '按下级组织分组时，请先在上方选择一个组织';

/** 会员与代表构成: members by type/level/organization, and the composition of committees and representatives. */
export default function StatsPage() {
  const [orgId, setOrgId] = useState<number | undefined>();
  const [by, setBy] = useState<'level' | 'org'>('level');
  const [comp, setComp] = useState<CompositionView | null>(null);
  const [members, setMembers] = useState<MembershipStatsView | null>(null);
  const needOrg = by === 'org' && !orgId;
  useEffect(() => {
    if (by === 'org' && !orgId) {
      setComp(null);
      setMembers(null);
      return;
    }
    peopleApi.composition(orgId, by).then(setComp).catch(reportError);
    peopleApi
      .stats(orgId, by === 'org' ? 'org' : 'type')
      .then(setMembers)
      .catch(reportError);
  }, [orgId, by]);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card>
        <Form layout="inline">
          <Form.Item label="组织">
            <OrgPicker
              value={orgId}
              onChange={(v) => setOrgId(v as number | undefined)}
              style={{ width: 280 }}
            />
          </Form.Item>
          <Form.Item label="分组">
            <Segmented
              value={by}
              onChange={(v) => setBy(v as 'level' | 'org')}
              options={[
                { value: 'level', label: '按层级' },
                { value: 'org', label: '按下级组织' },
              ]}
            />
          </Form.Item>
        </Form>
      </Card>
      <Card title="执委/委员与代表构成">
        <Table
          rowKey={(r) => `${r.key}-${r.role}`}
          size="small"
          pagination={false}
          dataSource={comp?.rows ?? []}
          locale={{
            emptyText: needOrg
              ? NEED_ORG
              : '所选范围内尚无执委/委员或代表：在人员详情的会籍中登记身份为“执委/委员”或“代表”后在此统计',
          }}
          columns={[
            { title: by === 'level' ? '层级' : '组织', dataIndex: 'label' },
            { title: '身份', dataIndex: 'roleLabel' },
            { title: '人数', dataIndex: 'total' },
            { title: '基层一线', render: (_, r) => `${r.frontline}（${pct(r.frontlineShare)}）` },
            { title: '女性', render: (_, r) => `${r.women}（${pct(r.womenShare)}）` },
            { title: '35岁以下', render: (_, r) => `${r.under35}（${pct(r.under35Share)}）` },
          ]}
        />
      </Card>
      <Card title="会员统计">
        <Table
          rowKey={(r) => `${r.key}-${r.role}`}
          size="small"
          pagination={false}
          dataSource={members?.rows ?? []}
          locale={{ emptyText: needOrg ? NEED_ORG : '所选范围内尚无会籍记录' }}
          columns={[
            { title: by === 'level' ? '组织类型' : '组织', dataIndex: 'label' },
            { title: '身份', dataIndex: 'roleLabel' },
            { title: '在册', dataIndex: 'active' },
            { title: '女性', dataIndex: 'women' },
            { title: '28岁以下', dataIndex: 'under28' },
            { title: '35岁以下', dataIndex: 'under35' },
            { title: '一线', dataIndex: 'frontline' },
            { title: '待审批', dataIndex: 'pending' },
          ]}
        />
      </Card>
    </Space>
  );
}
