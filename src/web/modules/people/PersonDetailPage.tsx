import { EyeOutlined, SwapOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Input, Modal, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { ApiError, api, type Paged } from '../../api';
import { NotFound } from '../../components/Results';
import { feedback, reportError } from '../../feedback';
import { type PersonDetail, peopleApi, type TransferView } from './api';
import { MEMBERSHIP_COLUMNS, type Membership } from './membershipColumns';
import { TransferModal } from './TransferModal';
import { TransferTable } from './TransferTable';

/** 人员详情: masked identity data, 查看完整信息 (audited), memberships with their actions, transfers. */
export default function PersonDetailPage() {
  const id = Number(useParams().id);
  const [p, setP] = useState<PersonDetail | null>(null);
  const [missing, setMissing] = useState(false);
  const [shown, setShown] = useState<{ idNumber: string; phone: string | null } | null>(null);
  const [transfers, setTransfers] = useState<TransferView[]>([]);
  const [moving, setMoving] = useState<Membership | null>(null);

  const load = useCallback(async () => {
    try {
      setP(await peopleApi.get(id));
      setTransfers(
        (await api.get<Paged<TransferView>>('/api/transfers', { personId: id, pageSize: 50 })).items,
      );
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NOT_FOUND') setMissing(true);
      else reportError(e);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  if (missing) return <NotFound title="人员不存在或无权访问" />;
  if (!p) return <Card loading />;

  const reveal = () =>
    Modal.confirm({
      title: '查看完整身份信息',
      content: '查看将记入操作日志。确定查看吗？',
      onOk: async () => {
        try {
          setShown(await peopleApi.reveal(p.id, '人员详情页查看'));
        } catch (e) {
          reportError(e);
        }
      },
    });

  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      feedback()?.message.success(ok);
      await load();
    } catch (e) {
      reportError(e, { onConflict: load });
    }
  };

  const columns: TableColumnsType<Membership> = [
    ...MEMBERSHIP_COLUMNS,
    {
      title: '操作',
      width: 220,
      render: (_, m) => (
        <Space size="small">
          {m.abilities.approve && (
            <Button
              size="small"
              type="link"
              onClick={() => act(() => peopleApi.approve(m.id, m.version), '已批准入会')}
            >
              批准
            </Button>
          )}
          {m.abilities.transfer && (
            <Button size="small" type="link" icon={<SwapOutlined />} onClick={() => setMoving(m)}>
              转接
            </Button>
          )}
          {m.abilities.leave && (
            <Button
              size="small"
              type="link"
              danger
              onClick={() => {
                let reason = '';
                Modal.confirm({
                  title: '办理离会',
                  content: <Input placeholder="离会原因" onChange={(e) => (reason = e.target.value)} />,
                  onOk: () => act(() => peopleApi.leave(m.id, m.version, reason || '本人申请'), '已办理离会'),
                });
              }}
            >
              离会
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={`${p.name}（${p.genderLabel}，${p.age}岁）`}
        extra={
          p.abilities.reveal &&
          !shown && (
            <Button icon={<EyeOutlined />} onClick={reveal}>
              查看完整信息
            </Button>
          )
        }
      >
        <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
          <Descriptions.Item label="身份证号">
            <code data-testid="id-number">{shown?.idNumber ?? p.idNumber}</code>
          </Descriptions.Item>
          <Descriptions.Item label="手机号码">{shown ? shown.phone : p.phone}</Descriptions.Item>
          <Descriptions.Item label="出生日期">{p.birthDate}</Descriptions.Item>
          <Descriptions.Item label="民族">{p.ethnicity}</Descriptions.Item>
          <Descriptions.Item label="工作单位">{p.employer?.name}</Descriptions.Item>
          <Descriptions.Item label="登记组织">{p.orgName}</Descriptions.Item>
          <Descriptions.Item label="人员类别">
            {p.frontline && <Tag color="orange">一线职工</Tag>}
            {p.groups.map((g) => (
              <Tag key={g.code}>{g.label}</Tag>
            ))}
            {p.disability && (
              <Tag color="purple">{`${p.disability.categoryLabel}${p.disability.grade}级`}</Tag>
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title="会籍">
        <Table rowKey="id" size="small" pagination={false} columns={columns} dataSource={p.memberships} />
      </Card>
      <Card title="组织关系转接记录">
        <TransferTable items={transfers} onChanged={load} />
      </Card>
      <TransferModal membership={moving} onClose={() => setMoving(null)} onDone={load} />
    </Space>
  );
}
