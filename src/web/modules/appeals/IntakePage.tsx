import { Alert, Button, Card, Checkbox, Col, Form, Input, Radio, Row, Select, Space, TreeSelect } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { APPEAL_GROUPS } from '../../../shared/appeals/constants';
import { formatTrackingCode } from '../../../shared/trackingCode';
import { api } from '../../api';
import { RegionPicker } from '../../components/RegionPicker';
import { reportError } from '../../feedback';
import { AppealTable } from './AppealTable';
import { type AppealListItem, appealConfig, type CategoryNode, categoryTree } from './api';

interface Created {
  id: number;
  trackingCode: string;
  orgName: string | null;
  duplicate: boolean;
}

/**
 * 热线坐席: one screen for an operator on a call. The caller's number first (their earlier
 * appeals show at once), then group, category and place with search, the matter, submit.
 */
export default function IntakePage() {
  const [form] = Form.useForm();
  const [cats, setCats] = useState<CategoryNode[]>([]);
  const [history, setHistory] = useState<AppealListItem[] | null>(null);
  const [done, setDone] = useState<Created | null>(null);
  const [busy, setBusy] = useState(false);
  const phoneRef = useRef<{ focus: () => void } | null>(null);
  useEffect(() => {
    appealConfig()
      .then((c) => setCats(c.categories))
      .catch(reportError);
  }, []);
  const lookup = (phone: string) => {
    if (phone.replace(/\D/g, '').length < 7) return setHistory(null);
    api
      .post<{ items: AppealListItem[] }>('/api/appeals/by-phone', { phone })
      .then((r) => setHistory(r.items))
      .catch(() => setHistory(null));
  };
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      const r = await api.post<Created>('/api/appeals', {
        ...v,
        name: v.anonymous ? undefined : v.name || undefined,
        anonymous: !!v.anonymous,
        confidential: !!v.confidential,
        priority: v.urgent ? 'urgent' : 'normal',
        urgent: undefined,
        idempotencyKey: undefined,
      });
      setDone(r);
      form.resetFields();
      setHistory(null);
      phoneRef.current?.focus();
    } catch (e) {
      reportError(e, { form });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Row gutter={16}>
      <Col xs={24} xl={14}>
        <Card title="热线受理" size="small">
          {done && (
            <Alert
              type="success"
              showIcon
              closable
              onClose={() => setDone(null)}
              style={{ marginBottom: 12 }}
              data-testid="intake-done"
              message={`${done.duplicate ? '重复来电，已有诉求' : '已受理'}，查询码 ${formatTrackingCode(done.trackingCode)}${done.orgName ? `，已派至「${done.orgName}」` : '，待人工派单'}`}
            />
          )}
          <Form
            form={form}
            layout="vertical"
            initialValues={{ channel: 'hotline', group: 'worker' }}
            onFinish={submit}
            requiredMark={false}
          >
            <Row gutter={12}>
              <Col xs={24} md={12}>
                <Form.Item
                  name="phone"
                  label="来电号码"
                  rules={[{ required: true, message: '请输入来电号码' }]}
                >
                  <Input
                    ref={(r) => {
                      phoneRef.current = r;
                    }}
                    autoFocus
                    inputMode="tel"
                    data-testid="intake-phone"
                    onBlur={(e) => lookup(e.target.value)}
                    onPressEnter={(e) => {
                      e.preventDefault();
                      lookup((e.target as HTMLInputElement).value);
                    }}
                  />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item name="name" label="姓名">
                  <Input maxLength={30} />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item name="channel" label="渠道">
                  <Select
                    options={[
                      { value: 'hotline', label: '热线电话' },
                      { value: 'visit', label: '来访' },
                      { value: 'letter', label: '来信' },
                    ]}
                  />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="group" label="诉求人群">
              <Radio.Group
                optionType="button"
                size="small"
                options={Object.entries(APPEAL_GROUPS).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
            <Row gutter={12}>
              <Col xs={24} md={12}>
                <Form.Item
                  name="categoryCode"
                  label="诉求分类"
                  rules={[{ required: true, message: '请选择分类' }]}
                >
                  <TreeSelect
                    showSearch
                    treeNodeFilterProp="title"
                    treeData={categoryTree(cats)}
                    placeholder="输入关键字搜索"
                    data-testid="intake-category"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name="regionCode"
                  label="事项发生地"
                  rules={[{ required: true, message: '请选择区划' }]}
                >
                  <RegionPicker placeholder="输入乡镇、村名搜索" />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item
              name="content"
              label="诉求内容"
              rules={[{ required: true, min: 5, message: '请记录诉求内容' }]}
            >
              <Input.TextArea rows={5} maxLength={2000} showCount data-testid="intake-content" />
            </Form.Item>
            <Space wrap>
              <Form.Item name="urgent" valuePropName="checked" noStyle>
                <Checkbox>紧急</Checkbox>
              </Form.Item>
              <Form.Item name="confidential" valuePropName="checked" noStyle>
                <Checkbox>申请保密</Checkbox>
              </Form.Item>
              <Form.Item name="anonymous" valuePropName="checked" noStyle>
                <Checkbox>匿名</Checkbox>
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="intake-submit">
                受理并分派
              </Button>
            </Space>
          </Form>
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Card title="来电人历史诉求" size="small">
          {history === null ? (
            <span style={{ color: '#999' }}>输入来电号码后显示</span>
          ) : (
            <AppealTable items={history} pagination={false} testId="caller-history" />
          )}
        </Card>
      </Col>
    </Row>
  );
}
