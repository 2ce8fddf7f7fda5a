import {
  CheckCircleOutlined,
  DragOutlined,
  EditOutlined,
  PlusOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { Breadcrumb, Button, Card, Descriptions, Popconfirm, Skeleton, Space, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api';
import { NotFound } from '../../components/Results';
import { feedback, reportError } from '../../feedback';
import { fmt, useI18n } from '../../i18n';
import { type OrgDetail, orgApi } from './api';
import { OrgFormModal } from './OrgFormModal';
import { OrgMoveModal } from './OrgMoveModal';

export interface Changed {
  /** tree nodes whose children to reload ('root' for the tops) */
  refresh: (number | 'root')[];
  /** organization to show next */
  select?: number;
}

interface Props {
  id: number;
  onLoaded: (org: OrgDetail) => void;
  onChanged: (c: Changed) => void;
}

/** The selected organization: breadcrumb, fields, and the actions its abilities allow. */
export function OrgDetailPanel({ id, onLoaded, onChanged }: Props) {
  const { m } = useI18n();
  const [org, setOrg] = useState<OrgDetail | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [modal, setModal] = useState<'create' | 'edit' | 'move' | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const o = await orgApi.get(id);
      setOrg(o);
      setMissing(null);
      onLoaded(o);
      return o;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NOT_FOUND') {
        setOrg(null);
        setMissing(e.message);
      } else reportError(e);
      return null;
    }
  }, [id, onLoaded]);

  useEffect(() => {
    setOrg(null);
    setMissing(null);
    void load();
  }, [load]);

  if (missing) return <NotFound title={m.org.notFound} text={missing} />;
  if (!org || org.id !== id)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );

  const parentKey =
    org.parentId !== null && org.ancestors.some((a) => a.id === org.parentId) ? org.parentId : 'root';
  const toggleStatus = async () => {
    setBusy(true);
    try {
      const status = org.status === 'active' ? 'inactive' : 'active';
      await orgApi.update(org.id, { version: org.version, status });
      feedback()?.message.success(status === 'inactive' ? m.org.deactivated : m.org.activated);
      await load();
      onChanged({ refresh: [parentKey] });
    } catch (e) {
      reportError(e, { onConflict: load });
    } finally {
      setBusy(false);
    }
  };

  const active = org.status === 'active';
  const actions = (
    <Space wrap>
      {org.abilities.update && active && (
        <Button
          key="add"
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setModal('create')}
          data-testid="org-add-child"
        >
          {m.org.addChild}
        </Button>
      )}
      {org.abilities.update && (
        <Button key="edit" icon={<EditOutlined />} onClick={() => setModal('edit')} data-testid="org-edit">
          {m.common.edit}
        </Button>
      )}
      {org.abilities.move && (
        <Button key="move" icon={<DragOutlined />} onClick={() => setModal('move')} data-testid="org-move">
          {m.org.move}
        </Button>
      )}
      {org.abilities.deactivate && (
        <Popconfirm
          key="status"
          title={fmt(active ? m.org.confirmDeactivate : m.org.confirmActivate, { name: org.name })}
          onConfirm={toggleStatus}
        >
          <Button danger={active} icon={active ? <StopOutlined /> : <CheckCircleOutlined />} loading={busy}>
            {active ? m.org.deactivate : m.org.activate}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );

  return (
    <Card
      title={
        <Space>
          <span data-testid="org-detail-name">{org.name}</span>
          <Tag color={active ? 'green' : 'default'}>{active ? m.common.active : m.common.inactive}</Tag>
        </Space>
      }
      extra={actions}
    >
      <Breadcrumb
        style={{ marginBottom: 16 }}
        items={[
          ...org.ancestors.map((a) => ({ title: <Link to={`/orgs/${a.id}`}>{a.name}</Link> })),
          { title: org.name },
        ]}
        data-testid="org-breadcrumb"
      />
      <Descriptions bordered size="small" column={{ xs: 1, lg: 2 }} styles={{ label: { width: 120 } }}>
        <Descriptions.Item label={m.org.name}>{org.name}</Descriptions.Item>
        <Descriptions.Item label={m.org.id}>{org.id}</Descriptions.Item>
        <Descriptions.Item label={m.org.type}>{m.orgType[org.type]}</Descriptions.Item>
        <Descriptions.Item label={m.org.level}>{m.orgLevel[org.level]}</Descriptions.Item>
        <Descriptions.Item label={m.org.region}>
          {org.regionName ?? '-'} <Tag style={{ marginLeft: 4 }}>{org.regionCode}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={m.org.takesAppeals}>
          {org.takesAppeals ? m.common.yes : m.common.no}
        </Descriptions.Item>
        <Descriptions.Item label={m.org.contactName}>{org.contactName ?? '-'}</Descriptions.Item>
        <Descriptions.Item label={m.org.contactPhone}>{org.contactPhone ?? '-'}</Descriptions.Item>
        <Descriptions.Item label={m.org.parent}>
          {org.ancestors[org.ancestors.length - 1]?.name ?? '-'}
        </Descriptions.Item>
        <Descriptions.Item label={m.org.sort}>{org.sort}</Descriptions.Item>
      </Descriptions>
      {modal === 'create' || modal === 'edit' ? (
        <OrgFormModal
          mode={modal}
          org={org}
          onClose={() => setModal(null)}
          onConflict={() => {
            setModal(null);
            void load();
          }}
          onSaved={async (saved) => {
            setModal(null);
            if (modal === 'create') onChanged({ refresh: [parentKey, org.id], select: saved.id });
            else {
              await load();
              onChanged({ refresh: [parentKey] });
            }
          }}
        />
      ) : null}
      {modal === 'move' && (
        <OrgMoveModal
          org={org}
          onClose={() => setModal(null)}
          onConflict={() => {
            setModal(null);
            void load();
          }}
          onMoved={async (newParentId) => {
            setModal(null);
            onChanged({ refresh: [parentKey, newParentId] });
            await load();
          }}
        />
      )}
    </Card>
  );
}
