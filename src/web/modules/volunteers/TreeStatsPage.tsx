import { Card, Table } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { reportError } from '../../feedback';
import { Chart } from '../appeals/Chart';
import type { TreeStatsRow } from './api';

/** 志愿服务统计: activities, volunteer hours and hours per volunteer by subtree of the organization tree. */
export default function TreeStatsPage() {
  const [rows, setRows] = useState<TreeStatsRow[]>([]);
  const [orgId, setOrgId] = useState<number | undefined>();
  useEffect(() => {
    api
      .get<{ items: TreeStatsRow[] }>('/api/volunteer-stats/tree', { orgId })
      .then((r) => setRows(r.items))
      .catch(reportError);
  }, [orgId]);
  return (
    <Card title="志愿服务统计（按组织树）">
      <Chart
        testId="volunteer-tree-chart"
        option={{
          tooltip: { trigger: 'axis' },
          legend: { data: ['志愿时长', '人均时长'] },
          xAxis: {
            type: 'category',
            data: rows.map((r) => r.orgName),
            axisLabel: { interval: 0, rotate: 30 },
          },
          yAxis: [
            { type: 'value', name: '小时' },
            { type: 'value', name: '人均' },
          ],
          series: [
            { name: '志愿时长', type: 'bar', data: rows.map((r) => r.hours) },
            { name: '人均时长', type: 'line', yAxisIndex: 1, data: rows.map((r) => r.hoursPerVolunteer) },
          ],
        }}
      />
      <Table
        rowKey="orgId"
        size="small"
        dataSource={rows}
        pagination={false}
        onRow={(r, i) => ({
          onClick: () => i !== 0 && setOrgId(r.orgId),
          style: { cursor: i ? 'pointer' : undefined },
        })}
        columns={[
          { title: '组织（点击下钻）', dataIndex: 'orgName' },
          { title: '活动数', dataIndex: 'activities' },
          { title: '志愿时长', dataIndex: 'hours' },
          { title: '志愿者', dataIndex: 'volunteers' },
          { title: '人均时长', dataIndex: 'hoursPerVolunteer' },
        ]}
      />
    </Card>
  );
}
