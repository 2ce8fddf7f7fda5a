import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Segmented,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tree,
  type TreeDataNode,
  Upload,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { PreviewNode } from '../../../shared/contracts/onboarding';
import { COLUMNS, MAX_ONBOARDING_ROWS } from '../../../shared/onboarding/columns';
import { reportError } from '../../feedback';
import { formatTime } from '../../format';
import { fmt, useI18n } from '../../i18n';
import { useSession } from '../../session';
import { type ImportKind, type ImportView, onboardingApi, uploadOnboarding } from './api';

const KINDS: ImportKind[] = ['orgs', 'units', 'users'];
const PERMISSION = { orgs: 'org:write', units: 'unit:write', users: 'user:write' } as const;
const ACTION_COLOR = { create: 'green', update: 'blue', unchanged: 'default', existing: 'default' } as const;

/** 批量初始化: template, dry run with the tree preview, apply, error report, export. */
export default function OnboardingImportPage() {
  const { m } = useI18n();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const allowed = KINDS.filter((k) => can(PERMISSION[k]));
  const kind = (allowed.find((k) => k === params.get('kind')) ?? allowed[0] ?? 'orgs') as ImportKind;
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ImportView | null>(null);
  const [busy, setBusy] = useState(false);
  const [history, setHistory] = useState<ImportView[]>([]);

  const load = useCallback(async () => {
    try {
      setHistory((await onboardingApi.imports(kind)).items);
    } catch (e) {
      reportError(e);
    }
  }, [kind]);
  useEffect(() => {
    setResult(null);
    setFile(null);
    void load();
  }, [load]);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    try {
      setResult(await uploadOnboarding(kind, file, dryRun));
      void load();
    } catch (e) {
      setResult(null);
      reportError(e);
    } finally {
      setBusy(false);
    }
  };

  const toTree = (nodes: PreviewNode[]): TreeDataNode[] =>
    nodes.map((n) => ({
      key: n.key,
      title: (
        <span>
          {n.name}{' '}
          <Tag color={ACTION_COLOR[n.action]} style={{ marginLeft: 4 }}>
            {m.onboarding.action[n.action]}
            {n.row ? ` · ${fmt(m.onboarding.rowNo, { row: n.row })}` : ''}
          </Tag>
        </span>
      ),
      children: toTree(n.children),
    }));

  const errorColumns: TableColumnsType<ImportView['errors'][number]> = [
    { title: m.onboarding.row, dataIndex: 'row', width: 80 },
    { title: m.onboarding.column, dataIndex: 'column', width: 160 },
    { title: m.onboarding.message, dataIndex: 'message' },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={m.onboarding.importTitle}
        extra={
          <Space>
            <Button
              icon={<DownloadOutlined />}
              href={`/api/onboarding/templates/${kind}?format=xlsx`}
              data-testid="template-xlsx"
            >
              {m.onboarding.templateXlsx}
            </Button>
            <Button href={`/api/onboarding/templates/${kind}?format=csv`}>{m.onboarding.templateCsv}</Button>
            <Button href={`/api/onboarding/export/${kind}?format=xlsx`}>{m.onboarding.export}</Button>
          </Space>
        }
      >
        <Segmented
          value={kind}
          options={allowed.map((k) => ({ value: k, label: m.onboarding.kinds[k] }))}
          onChange={(v) => setParams({ kind: String(v) })}
          style={{ marginBottom: 16 }}
        />
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={fmt(m.onboarding.rules, { max: MAX_ONBOARDING_ROWS })}
          description={COLUMNS[kind].map((c) => (c.required ? `*${c.header}` : c.header)).join('，')}
        />
        <Upload.Dragger
          accept=".xlsx,.csv"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setResult(null);
            return false;
          }}
          onRemove={() => setFile(null)}
          fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{m.onboarding.drop}</p>
        </Upload.Dragger>
        <Space style={{ marginTop: 16 }}>
          <Button onClick={() => void run(true)} disabled={!file} loading={busy} data-testid="dry-run">
            {m.onboarding.dryRun}
          </Button>
          <Button
            type="primary"
            onClick={() => void run(false)}
            disabled={!file || !result || result.errorRows > 0 || !result.dryRun}
            loading={busy}
            data-testid="apply"
          >
            {m.onboarding.apply}
          </Button>
        </Space>
      </Card>
      {result && (
        <Card title={result.dryRun ? m.onboarding.previewTitle : m.onboarding.resultTitle}>
          <Alert
            type={result.errorRows > 0 ? 'error' : 'success'}
            showIcon
            title={result.message}
            data-testid="import-message"
            style={{ marginBottom: 16 }}
          />
          <Descriptions size="small" column={5} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={m.onboarding.totalRows}>{result.totalRows}</Descriptions.Item>
            <Descriptions.Item label={m.onboarding.action.create}>{result.created}</Descriptions.Item>
            <Descriptions.Item label={m.onboarding.action.update}>{result.updated}</Descriptions.Item>
            <Descriptions.Item label={m.onboarding.action.unchanged}>{result.unchanged}</Descriptions.Item>
            <Descriptions.Item label={m.onboarding.errorRows}>{result.errorRows}</Descriptions.Item>
          </Descriptions>
          {result.errors.length > 0 && (
            <>
              <Space style={{ marginBottom: 8 }}>
                <Button size="small" href={`/api/onboarding/imports/${result.id}/errors?format=xlsx`}>
                  {m.onboarding.errorReport}
                </Button>
              </Space>
              <Table
                rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
                size="small"
                columns={errorColumns}
                dataSource={result.errors}
                pagination={{ pageSize: 10 }}
                data-testid="import-errors"
              />
            </>
          )}
          {result.preview && result.preview.length > 0 && (
            <div data-testid="import-preview">
              {result.previewTruncated && <Alert type="warning" title={m.onboarding.truncated} />}
              <Tree treeData={toTree(result.preview)} defaultExpandAll selectable={false} />
            </div>
          )}
        </Card>
      )}
      <Card title={m.onboarding.history}>
        <Table
          rowKey="id"
          size="small"
          dataSource={history}
          pagination={false}
          columns={[
            { title: m.onboarding.time, dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
            { title: m.onboarding.file, dataIndex: 'fileName' },
            {
              title: m.onboarding.status,
              dataIndex: 'status',
              render: (v: ImportView['status']) => m.onboarding.statuses[v],
            },
            { title: m.onboarding.message, dataIndex: 'message' },
            {
              title: '',
              render: (_: unknown, j: ImportView) =>
                j.errorRows > 0 ? (
                  <Button
                    size="small"
                    type="link"
                    href={`/api/onboarding/imports/${j.id}/errors?format=xlsx`}
                  >
                    {m.onboarding.errorReport}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
