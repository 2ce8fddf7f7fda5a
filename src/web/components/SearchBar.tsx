import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Card, Form, type FormInstance, Space } from 'antd';
import type { ReactNode } from 'react';
import type { Query } from '../api';
import { useI18n } from '../i18n';

interface Props {
  form: FormInstance;
  onSearch: (values: Query) => void;
  children: ReactNode;
  /** turns raw form values (dates, arrays) into query values before cleaning */
  transform?: (values: Record<string, unknown>) => Record<string, unknown>;
}

/** The search form on top of a table page: fields inline, 搜索 and 重置. */
export function SearchBar({ form, onSearch, children, transform }: Props) {
  const { m } = useI18n();
  const submit = () => {
    const raw = form.getFieldsValue() as Record<string, unknown>;
    onSearch(clean(transform ? transform(raw) : raw));
  };
  return (
    <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { paddingBottom: 0 } }}>
      <Form
        form={form}
        name="search"
        layout="inline"
        onFinish={submit}
        style={{ rowGap: 12, paddingBottom: 12 }}
      >
        {children}
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              {m.common.search}
            </Button>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                form.resetFields();
                submit();
              }}
            >
              {m.common.reset}
            </Button>
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
}

/** Form values to query parameters: empty values dropped, strings trimmed. */
function clean(values: Record<string, unknown>): Query {
  const out: Query = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null) continue;
    const s = typeof v === 'string' ? v.trim() : v;
    if (s === '') continue;
    if (typeof s === 'string' || typeof s === 'number' || typeof s === 'boolean') out[k] = s;
  }
  return out;
}
