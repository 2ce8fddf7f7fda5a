import { Button, Card, Form, Input, Select, Space, Table } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { MEETING_KINDS } from '../../../shared/tasks/constants';
import { api } from '../../api';
import { usePaged } from '../../components/usePaged';
import { reportError } from '../../feedback';
import { useSession } from '../../session';
import type { MeetingView } from './api';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** 联席会议: the record, attendees and minutes; the decisions go to review as tasks. */
export default function MeetingsPage() {
  const { me, can } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const list = usePaged<MeetingView>('/api/task-meetings');

  async function submit(v: Record<string, string>) {
    const attendees = (v.attendees ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [name, ...title] = l.split(/\s+/);
        return { name: name!, title: title.join(' ') || null };
      });
    try {
      const m = await api.post<MeetingView>('/api/task-meetings', {
        ...v,
        attendees,
        orgId: me!.organization.id,
        place: v.place || null,
      });
      if (m.documentId) navigate(`/tasks/docs/${m.documentId}/review`);
      else await list.reload();
    } catch (e) {
      reportError(e, { form });
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {can('task:write') && (
        <Card title="记录会议">
          <Form
            form={form}
            layout="vertical"
            onFinish={submit}
            initialValues={{ kind: 'joint', heldOn: today() }}
          >
            <Space wrap align="start">
              <Form.Item
                name="title"
                label="会议名称"
                rules={[{ required: true, message: '请填写会议名称' }]}
              >
                <Input style={{ width: 320 }} placeholder="如：全市群团工作联席会议第一次会议" />
              </Form.Item>
              <Form.Item name="kind" label="类型">
                <Select
                  style={{ width: 140 }}
                  options={Object.entries(MEETING_KINDS).map(([value, label]) => ({ value, label }))}
                />
              </Form.Item>
              <Form.Item name="heldOn" label="召开日期" rules={[{ required: true }]}>
                <Input type="date" style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name="place" label="地点">
                <Input style={{ width: 220 }} />
              </Form.Item>
            </Space>
            <Form.Item name="attendees" label="参会人员（每行一人：姓名 职务）">
              <Input.TextArea rows={3} />
            </Form.Item>
            <Form.Item name="minutes" label="会议纪要">
              <Input.TextArea rows={4} />
            </Form.Item>
            <Form.Item name="decisions" label="议定事项（保存后进入任务分解审核）">
              <Input.TextArea rows={4} placeholder="一、……市总工会要在6月底前……" />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              保存
            </Button>
          </Form>
        </Card>
      )}
      <Card title="会议记录">
        <Table<MeetingView>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data.items}
          pagination={list.pagination}
          columns={[
            { title: '会议', dataIndex: 'title' },
            { title: '类型', dataIndex: 'kindLabel', width: 100 },
            { title: '日期', dataIndex: 'heldOn', width: 110 },
            { title: '参会', render: (_, m) => m.attendees.map((a) => a.name).join('、'), width: 240 },
            {
              title: '议定事项',
              width: 120,
              render: (_, m) =>
                m.documentId ? <Link to={`/tasks/docs/${m.documentId}/review`}>分解为任务</Link> : '—',
            },
          ]}
        />
      </Card>
    </Space>
  );
}
