import { Button, Card, Col, Empty, Input, List, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { NotFound } from '../../components/Results';
import { reportError } from '../../feedback';
import { fmt, useI18n } from '../../i18n';
import { type OrgView, orgApi } from './api';
import { type Changed, OrgDetailPanel } from './OrgDetail';
import { OrgTree, type OrgTreeHandle } from './OrgTree';

const treeHeight = () => Math.max(320, window.innerHeight - 210);
const useTreeHeight = () => {
  const [h, setH] = useState(treeHeight);
  useEffect(() => {
    const on = () => setH(treeHeight());
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return h;
};

/** 组织机构: the tree (with name / pinyin-initials search) on the left, the selected organization on the right. */
export default function OrgPage() {
  const { m } = useI18n();
  const params = useParams();
  const navigate = useNavigate();
  const selectedId = params.id && /^\d+$/.test(params.id) ? Number(params.id) : undefined;
  const tree = useRef<OrgTreeHandle>(null);
  const height = useTreeHeight();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ items: OrgView[]; total: number } | null>(null);
  const [searching, setSearching] = useState(false);

  const runSearch = async (q: string) => {
    setQuery(q);
    if (!q.trim()) {
      setResults(null);
      return;
    }
    setSearching(true);
    try {
      setResults(await orgApi.search(q.trim(), 100));
    } catch (e) {
      reportError(e);
    } finally {
      setSearching(false);
    }
  };

  const select = (id: number) => navigate(`/orgs/${id}`);

  const onLoaded = useCallback((org: { id: number; ancestors: { id: number }[] }) => {
    void tree.current?.focus(
      org.ancestors.map((a) => a.id),
      org.id,
    );
  }, []);

  const onChanged = useCallback(
    async (c: Changed) => {
      await tree.current?.refresh(c.refresh);
      if (c.select && c.select !== selectedId) navigate(`/orgs/${c.select}`);
    },
    [navigate, selectedId],
  );

  return (
    <Row gutter={16} wrap={false}>
      <Col flex="360px" style={{ minWidth: 300, maxWidth: 400 }}>
        <Card size="small" title={m.org.tree} styles={{ body: { padding: 8 } }}>
          <Input.Search
            allowClear
            placeholder={m.org.searchPlaceholder}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              if (!e.target.value) setResults(null);
            }}
            onSearch={runSearch}
            loading={searching}
            style={{ marginBottom: 8 }}
            data-testid="org-search"
          />
          {results ? (
            <div style={{ height: height - 8, overflow: 'auto' }} data-testid="org-search-results">
              <Space style={{ justifyContent: 'space-between', width: '100%', padding: '0 4px 4px' }}>
                <Typography.Text type="secondary">{fmt(m.org.results, { n: results.total })}</Typography.Text>
                <Button type="link" size="small" onClick={() => runSearch('')}>
                  {m.org.backToTree}
                </Button>
              </Space>
              {results.items.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={m.org.noResults} />
              ) : (
                <List
                  size="small"
                  dataSource={results.items}
                  renderItem={(o) => (
                    <List.Item
                      onClick={() => {
                        setResults(null);
                        setQuery('');
                        select(o.id);
                      }}
                      style={{ cursor: 'pointer', background: o.id === selectedId ? '#fff1f0' : undefined }}
                    >
                      <List.Item.Meta
                        title={o.name}
                        description={
                          <Space size={4} wrap>
                            <Tag>{m.orgType[o.type]}</Tag>
                            <Tag>{m.orgLevel[o.level]}</Tag>
                            {o.regionName}
                          </Space>
                        }
                      />
                    </List.Item>
                  )}
                />
              )}
            </div>
          ) : null}
          <div style={{ display: results ? 'none' : undefined }}>
            <OrgTree ref={tree} selectedId={selectedId} onSelect={select} height={height} />
          </div>
        </Card>
      </Col>
      <Col flex="auto" style={{ minWidth: 0 }}>
        {params.id && !selectedId ? (
          <NotFound title={m.org.notFound} />
        ) : selectedId ? (
          <OrgDetailPanel id={selectedId} onLoaded={onLoaded} onChanged={onChanged} />
        ) : (
          <Card>
            <Empty description={m.org.selectHint} />
          </Card>
        )}
      </Col>
    </Row>
  );
}
