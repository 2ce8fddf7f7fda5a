import { Button, Card, Input, Modal, Space, Table, type TableColumnsType, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { PersonClaimView } from '../../../shared/contracts/personClaims';
import { api } from '../../api';
import { usePaged } from '../../components/usePaged';
import { feedback, reportError } from '../../feedback';
import { formatTime } from '../../format';

const TABS = [
  { key: 'in', label: '待我方审核', filter: { box: 'incoming', status: 'pending' } },
  { key: 'inAll', label: '我方人员的申请', filter: { box: 'incoming' } },
  { key: 'out', label: '我方提交的申请', filter: { box: 'outgoing' } },
];
const COLORS: Record<PersonClaimView['status'], string> = {
  pending: 'blue',
  approved: 'green',
  rejected: 'red',
};

/**
 * 关联申请: another organization registered a person this one keeps. The keeping side sees the
 * record and decides; the requesting side sees only what it typed and the outcome.
 */
export default function ClaimPage() {
  const [tab, setTab] = useState('in');
  const list = usePaged<PersonClaimView>('/api/person-claims', TABS[0]!.filter);
  const decide = (c: PersonClaimView, approve: boolean) => {
    let note = '';
    const run = async () => {
      try {
        await api.post(`/api/person-claims/${c.id}/${approve ? 'approve' : 'reject'}`, {
          version: c.version,
          ...(note.trim() ? { note: note.trim() } : {}),
        });
        feedback()?.message.success(approve ? '已同意' : '已回复不同意');
        list.reload();
      } catch (e) {
        reportError(e, { onConflict: list.reload });
      }
    };
    const modal = feedback()?.modal ?? Modal;
    modal.confirm({
      title: approve ? '同意关联申请' : '不同意关联申请',
      content: (
        <Space direction="vertical" style={{ width: '100%' }}>
          <span>
            {c.orgName}申请将「{c.name}」登记为{c.roleLabel}
            {c.person && c.person.name !== c.name ? `（档案姓名为「${c.person.name}」，与申请不一致）` : ''}。
          </span>
          <Input
            placeholder={approve ? '说明（选填）' : '不同意的理由（必填）'}
            onChange={(e) => (note = e.target.value)}
          />
        </Space>
      ),
      okText: approve ? '同意' : '不同意',
      onOk: () => {
        if (!approve && !note.trim()) {
          feedback()?.message.warning('请填写不同意的理由');
          return Promise.reject(new Error('reason required'));
        }
        return run();
      },
    });
  };
  const columns: TableColumnsType<PersonClaimView> = [
    {
      title: '申请登记的人员',
      render: (_, c) =>
        c.person ? (
          <span>
            <Link to={`/people/${c.person.id}`}>{c.person.name}</Link>{' '}
            <code style={{ fontSize: 12 }}>{c.person.idNumber}</code>
            {c.person.name !== c.name && <Tag color="orange">申请姓名：{c.name}</Tag>}
          </span>
        ) : (
          c.name
        ),
    },
    { title: '申请组织', dataIndex: 'orgName' },
    { title: '身份', dataIndex: 'roleLabel', width: 90 },
    { title: '申请人', width: 120, render: (_, c) => c.requestedBy ?? '—' },
    { title: '状态', width: 130, render: (_, c) => <Tag color={COLORS[c.status]}>{c.statusLabel}</Tag> },
    { title: '申请时间', width: 160, render: (_, c) => formatTime(c.createdAt) },
    { title: '说明', render: (_, c) => c.note ?? '' },
    {
      title: '操作',
      width: 150,
      render: (_, c) =>
        c.abilities.approve && (
          <Space size="small">
            <Button size="small" type="primary" onClick={() => decide(c, true)}>
              同意
            </Button>
            <Button size="small" danger onClick={() => decide(c, false)}>
              不同意
            </Button>
          </Space>
        ),
    },
  ];
  return (
    <Card title="人员关联申请">
      <Tabs
        activeKey={tab}
        onChange={(k) => {
          setTab(k);
          list.search(TABS.find((t) => t.key === k)!.filter);
        }}
        items={TABS.map((t) => ({ key: t.key, label: t.label }))}
      />
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data.items}
        loading={list.loading}
        pagination={list.pagination}
        scroll={{ x: 1000 }}
      />
    </Card>
  );
}
