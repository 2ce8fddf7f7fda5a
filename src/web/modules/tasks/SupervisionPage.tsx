import { Button, Card, Table } from 'antd';
import { api } from '../../api';
import { usePaged } from '../../components/usePaged';
import { feedback, reportError } from '../../feedback';
import { useSession } from '../../session';
import type { TaskView } from './api';
import { taskColumns } from './TaskListPage';

/** 督办队列: overdue, escalated and soon-due tasks. */
export default function SupervisionPage() {
  const { can } = useSession();
  const list = usePaged<TaskView>('/api/task-supervision');
  async function sweep() {
    try {
      const r = await api.post<{ overdue: number; urged: number; reminded: number }>(
        '/api/task-supervision/sweep',
      );
      feedback()?.message.success(`新增逾期 ${r.overdue} 项，自动催办 ${r.urged} 项，提醒 ${r.reminded} 次`);
      await list.reload();
    } catch (e) {
      reportError(e);
    }
  }
  return (
    <Card
      title="督办队列"
      extra={
        can('task:supervise') && (
          <Button onClick={sweep} data-testid="sweep">
            立即检查逾期
          </Button>
        )
      }
    >
      <Table<TaskView>
        rowKey="id"
        size="small"
        data-testid="supervision-table"
        loading={list.loading}
        dataSource={list.data.items}
        pagination={list.pagination}
        columns={taskColumns()}
      />
    </Card>
  );
}
