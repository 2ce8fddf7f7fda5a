import { Col, Descriptions, Drawer, Row, Tag, Typography } from 'antd';
import { formatTime } from '../../format';
import { fmt, useI18n } from '../../i18n';
import { auditLabels } from './labels';

export interface AuditEvent {
  id: number;
  at: string;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One side of the comparison: top-level keys on their own lines, changed ones highlighted. */
function JsonSide({ value, other, empty }: { value: unknown; other: unknown; empty: string }) {
  if (value === null || value === undefined)
    return <Typography.Text type="secondary">{empty}</Typography.Text>;
  if (!isObject(value)) return <pre className="json-diff">{JSON.stringify(value, null, 2)}</pre>;
  const keys = [...new Set([...Object.keys(value), ...(isObject(other) ? Object.keys(other) : [])])];
  return (
    <pre className="json-diff">
      {'{\n'}
      {keys.map((k) => {
        const mine = JSON.stringify(value[k]);
        const theirs = isObject(other) ? JSON.stringify(other[k]) : undefined;
        const changed = other !== null && other !== undefined && mine !== theirs;
        return (
          <div key={k} className={changed ? 'changed' : undefined}>
            {`  "${k}": ${k in value ? JSON.stringify(value[k], null, 2).replace(/\n/g, '\n  ') : '—'}`}
          </div>
        );
      })}
      {'}'}
    </pre>
  );
}

/** Who did what, when, from where, with the record before and after, side by side. */
export function AuditDetailDrawer({ event, onClose }: { event: AuditEvent; onClose: () => void }) {
  const { m, lang } = useI18n();
  const labels = auditLabels(m, lang);
  return (
    <Drawer open size={900} title={fmt(m.audit.detailTitle, { id: event.id })} onClose={onClose}>
      <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={m.audit.at}>{formatTime(event.at)}</Descriptions.Item>
        <Descriptions.Item label={m.audit.actor}>
          {event.actorName === 'system' ? labels.entity('system') : event.actorName}
        </Descriptions.Item>
        <Descriptions.Item label={m.audit.action}>
          <Tag>{labels.action(event.action)}</Tag>
          <Typography.Text type="secondary">{event.action}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={m.audit.entityType}>
          {labels.entity(event.entityType)} {event.entityId ? `#${event.entityId}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={m.audit.ip}>{event.ip ?? '-'}</Descriptions.Item>
        <Descriptions.Item label={m.audit.requestId}>{event.requestId ?? '-'}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary">{m.audit.changed}</Typography.Paragraph>
      <Row gutter={16}>
        <Col span={12}>
          <Typography.Title level={5}>{m.audit.before}</Typography.Title>
          <JsonSide value={event.before} other={event.after} empty={m.common.none} />
        </Col>
        <Col span={12}>
          <Typography.Title level={5}>{m.audit.after}</Typography.Title>
          <JsonSide value={event.after} other={event.before} empty={m.common.none} />
        </Col>
      </Row>
    </Drawer>
  );
}
