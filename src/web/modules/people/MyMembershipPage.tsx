import { SwapOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Empty, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, type Paged } from '../../api';
import { reportError } from '../../feedback';
import type { PersonDetail, TransferView } from './api';
import { MEMBERSHIP_COLUMNS, type Membership } from './membershipColumns';
import { TransferModal } from './TransferModal';
import { TransferTable } from './TransferTable';

/**
 * 我的会籍: a member's own record (identity data masked), memberships, and 本人申请转接 with
 * the progress of each request. Open to every account; one without a linked person is told so.
 */
export default function MyMembershipPage() {
  const [p, setP] = useState<PersonDetail | null>(null);
  const [unlinked, setUnlinked] = useState<string | null>(null);
  const [transfers, setTransfers] = useState<TransferView[]>([]);
  const [moving, setMoving] = useState<Membership | null>(null);

  const load = useCallback(async () => {
    try {
      const me = await api.get<PersonDetail>('/api/me/person');
      setP(me);
      setTransfers(
        (await api.get<Paged<TransferView>>('/api/transfers', { personId: me.id, pageSize: 50 })).items,
      );
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NOT_FOUND') setUnlinked(e.message);
      else reportError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  if (unlinked)
    return (
      <Card title="我的会籍">
        <Empty description={unlinked} />
      </Card>
    );
  if (!p) return <Card loading title="我的会籍" />;

  const pendingFor = new Set(transfers.filter((t) => t.status === 'pending').map((t) => t.membershipId));
  const columns: TableColumnsType<Membership> = [
    ...MEMBERSHIP_COLUMNS,
    {
      title: '操作',
      width: 150,
      render: (_, m) =>
        pendingFor.has(m.id) ? (
          <Tag color="blue">转接审批中</Tag>
        ) : (
          m.abilities.transfer &&
          p.abilities.apply && (
            <Button size="small" type="link" icon={<SwapOutlined />} onClick={() => setMoving(m)}>
              申请转接
            </Button>
          )
        ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={`我的会籍：${p.name}`}>
        <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
          <Descriptions.Item label="身份证号">
            <code data-testid="id-number">{p.idNumber}</code>
          </Descriptions.Item>
          <Descriptions.Item label="手机号码">{p.phone}</Descriptions.Item>
          <Descriptions.Item label="出生日期">{p.birthDate}</Descriptions.Item>
          <Descriptions.Item label="工作单位">{p.employer?.name}</Descriptions.Item>
          <Descriptions.Item label="登记组织">{p.orgName}</Descriptions.Item>
          <Descriptions.Item label="人员类别">
            {p.groups.map((g) => (
              <Tag key={g.code}>{g.label}</Tag>
            ))}
          </Descriptions.Item>
        </Descriptions>
        <p style={{ color: 'var(--ant-color-text-secondary)', margin: '8px 0 0' }}>
          身份信息按规定脱敏显示。信息有误请联系登记组织更正。
        </p>
      </Card>
      <Card title="会籍">
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          columns={columns}
          dataSource={p.memberships}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <Card title="我的转接申请">
        <TransferTable own items={transfers} onChanged={load} />
      </Card>
      <TransferModal membership={moving} reasonRequired onClose={() => setMoving(null)} onDone={load} />
    </Space>
  );
}
