import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Progress, Space, Table, type TableColumnsType, Tag, Upload } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { feedback, reportError } from '../../feedback';
import { formatTime } from '../../format';
import { useSession } from '../../session';
import { OrgPicker } from '../orgs/OrgPicker';
import { type ImportJobView, peopleApi, uploadImport } from './api';

const RUNNING = new Set(['queued', 'checking', 'importing']);

/** 批量导入: template, upload (.xlsx / .csv, up to 1,000,000 rows), progress, error report. */
export default function ImportPage() {
  const { me } = useSession();
  const [orgId, setOrgId] = useState<number | undefined>(me?.organization.id);
  const [jobs, setJobs] = useState<ImportJobView[]>([]);
  const [errors, setErrors] = useState<
    Record<number, { row: number; column: string | null; message: string }[]>
  >({});
  const [uploading, setUploading] = useState(false);

  const load = useCallback(async () => {
    try {
      setJobs((await peopleApi.imports()).items);
    } catch (e) {
      reportError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  // poll while a job runs
  const running = jobs.some((j) => RUNNING.has(j.status));
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => void load(), 1000);
    return () => clearInterval(t);
  }, [running, load]);

  const showErrors = async (j: ImportJobView) => {
    try {
      const list = await peopleApi.importErrors(j.id);
      setErrors((e) => ({ ...e, [j.id]: list }));
    } catch (e) {
      reportError(e);
    }
  };

  const columns: TableColumnsType<ImportJobView> = [
    { title: '文件', dataIndex: 'fileName', ellipsis: true },
    { title: '上传时间', width: 160, render: (_, j) => formatTime(j.createdAt) },
    {
      title: '进度',
      width: 220,
      render: (_, j) => (
        <Progress
          percent={j.percent}
          size="small"
          status={j.status === 'failed' ? 'exception' : j.status === 'done' ? 'success' : 'active'}
          format={() => (j.totalRows ? `${j.processedRows}/${j.totalRows}` : j.statusLabel)}
        />
      ),
    },
    {
      title: '结果',
      render: (_, j) => (
        <Space direction="vertical" size={0}>
          <span>
            <Tag
              color={j.status === 'done' ? 'green' : j.status === 'failed' ? 'red' : 'blue'}
              data-testid={`import-status-${j.id}`}
            >
              {j.statusLabel}
            </Tag>
            新增 {j.personsCreated} 人，已存在 {j.personsExisting}；错误{' '}
            <b data-testid={`import-errors-${j.id}`}>{j.errorRows}</b> 行
          </span>
          {j.message && <span style={{ color: '#888', fontSize: 12 }}>{j.message}</span>}
        </Space>
      ),
    },
    {
      title: '错误报告',
      width: 220,
      render: (_, j) =>
        j.errorRows > 0 && (
          <Space size="small">
            <Button size="small" type="link" onClick={() => showErrors(j)}>
              查看
            </Button>
            <Button size="small" type="link" href={`/api/people/imports/${j.id}/errors?format=xlsx`}>
              Excel
            </Button>
            <Button size="small" type="link" href={`/api/people/imports/${j.id}/errors?format=csv`}>
              CSV
            </Button>
          </Space>
        ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title="批量导入人员"
        extra={
          <Space>
            <Button icon={<DownloadOutlined />} href="/api/people/import-template?format=xlsx">
              下载模板（Excel）
            </Button>
            <Button href="/api/people/import-template?format=csv">模板（CSV）</Button>
          </Space>
        }
      >
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message="支持 .xlsx 和 .csv，单个文件最多 1,000,000 行、200 MB。身份证号相同的人只登记一次；同一文件重复导入不会重复写入。有错误的行不会导入，其余行照常导入，错误报告列出行号、列和原因。"
        />
        <Form layout="inline" style={{ marginBottom: 16 }}>
          <Form.Item label="导入到组织" required>
            <OrgPicker
              value={orgId}
              onChange={(v) => setOrgId(v as number | undefined)}
              style={{ width: 280 }}
            />
          </Form.Item>
        </Form>
        <Upload.Dragger
          accept=".xlsx,.csv"
          multiple={false}
          showUploadList={false}
          disabled={!orgId || uploading}
          customRequest={async ({ file, onSuccess, onError }) => {
            if (!orgId) return;
            setUploading(true);
            try {
              const job = await uploadImport(orgId, file as File);
              feedback()?.message.success('文件已上传，正在后台导入');
              onSuccess?.(job);
              await load();
            } catch (e) {
              reportError(e);
              onError?.(e as Error);
            } finally {
              setUploading(false);
            }
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或拖拽文件到此处上传</p>
        </Upload.Dragger>
      </Card>
      <Card title="导入记录" extra={<Button onClick={load}>刷新</Button>}>
        <Table
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={jobs}
          pagination={false}
          expandable={{
            expandedRowKeys: Object.keys(errors).map(Number),
            showExpandColumn: false,
            expandedRowRender: (j) => (
              <Table
                size="small"
                rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
                pagination={{ pageSize: 10 }}
                dataSource={errors[j.id] ?? []}
                columns={[
                  { title: '行号', dataIndex: 'row', width: 80 },
                  { title: '列', dataIndex: 'column', width: 160 },
                  { title: '错误说明', dataIndex: 'message' },
                ]}
              />
            ),
          }}
        />
      </Card>
    </Space>
  );
}
