import { Button, Input, Modal, Space, Table, type TableColumnsType, Tag, Timeline } from 'antd';
import { Link } from 'react-router-dom';
import { feedback, reportError } from '../../feedback';
import { formatTime } from '../../format';
import { peopleApi, type TransferView } from './api';

const COLORS: Record<TransferView['status'], string> = {
  pending: 'blue',
  completed: 'green',
  rejected: 'red',
  cancelled: 'default',
};

/** Transfers with their whole history (expand a row) and the actions the user may take. */
export function TransferTable({
  items,
  loading,
  onChanged,
  pagination,
  own,
}: {
  /** the person's own list (我的会籍): no person column, no link to the office's person page */
  own?: boolean;
  items: TransferView[];
  loading?: boolean;
  onChanged: () => void;
  pagination?: false | object;
}) {
  const act = async (t: TransferView, action: 'approve' | 'reject' | 'cancel') => {
    let note = '';
    const run = async () => {
      try {
        await peopleApi.act(t.id, action, t.version, note || undefined);
        feedback()?.message.success(
          action === 'approve' ? '已同意接收' : action === 'reject' ? '已拒绝' : '已撤回',
        );
        onChanged();
      } catch (e) {
        reportError(e, { onConflict: onChanged });
      }
    };
    const modal = feedback()?.modal ?? Modal;
    if (action === 'approve')
      return modal.confirm({
        title: '同意接收',
        content: `同意接收${t.person.name}的组织关系（${t.fromOrg.name} → ${t.toOrg.name}）？同意后原会籍转出、新会籍在册。`,
        okText: '同意',
        onOk: run,
      });
    modal.confirm({
      title: action === 'reject' ? '拒绝接收' : '撤回转接',
      content: (
        <Input
          placeholder={action === 'reject' ? '拒绝理由（必填）' : '说明'}
          onChange={(e) => (note = e.target.value)}
        />
      ),
      onOk: () => {
        if (action === 'reject' && !note.trim()) {
          feedback()?.message.warning('请填写拒绝理由');
          return Promise.reject(new Error('reason required'));
        }
        return run();
      },
    });
  };
  const columns: TableColumnsType<TransferView> = [
    {
      title: '人员',
      hidden: own,
      width: 200,
      render: (_, t) => (
        <span>
          <Link to={`/people/${t.person.id}`}>{t.person.name}</Link>{' '}
          <code style={{ fontSize: 12 }}>{t.person.idNumber}</code>
        </span>
      ),
    },
    { title: '转出组织', render: (_, t) => t.fromOrg.name },
    { title: '接收组织', render: (_, t) => t.toOrg.name },
    { title: '身份', dataIndex: 'roleLabel', width: 80 },
    { title: '发起方', dataIndex: 'initiatedByLabel', width: 80 },
    { title: '状态', width: 120, render: (_, t) => <Tag color={COLORS[t.status]}>{t.statusLabel}</Tag> },
    { title: '发起时间', width: 160, render: (_, t) => formatTime(t.createdAt) },
    {
      title: '操作',
      width: 170,
      render: (_, t) => (
        <Space size="small">
          {t.abilities.approve && (
            <Button size="small" type="primary" onClick={() => act(t, 'approve')}>
              同意
            </Button>
          )}
          {t.abilities.reject && (
            <Button size="small" danger onClick={() => act(t, 'reject')}>
              拒绝
            </Button>
          )}
          {t.abilities.cancel && (
            <Button size="small" onClick={() => act(t, 'cancel')}>
              撤回
            </Button>
          )}
        </Space>
      ),
    },
  ];
  return (
    <Table
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={pagination ?? false}
      scroll={{ x: 1000 }}
      expandable={{
        expandedRowRender: (t) => (
          <Timeline
            items={t.history.map((h) => ({
              children: `${formatTime(h.at)} ${h.sideLabel}（${h.actorName}）${h.actionLabel}${h.note ? `：${h.note}` : ''}`,
            }))}
          />
        ),
      }}
    />
  );
}
