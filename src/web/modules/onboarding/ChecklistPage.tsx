import { CheckCircleTwoTone, ClockCircleOutlined } from '@ant-design/icons';
import { Alert, Card, List, Progress, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { reportError } from '../../feedback';
import { fmt, useI18n } from '../../i18n';
import { type ChecklistView, onboardingApi } from './api';

/** 上线清单: what a new deployment still lacks, each item marked done from the data. */
export default function ChecklistPage() {
  const { m } = useI18n();
  const [data, setData] = useState<ChecklistView | null>(null);
  useEffect(() => {
    onboardingApi.checklist().then(setData, reportError);
  }, []);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={m.onboarding.checklistTitle} loading={!data}>
        {data && (
          <>
            <Progress
              percent={Math.round((data.done / data.total) * 100)}
              format={() => fmt(m.onboarding.progress, { done: data.done, total: data.total })}
              style={{ maxWidth: 480, marginBottom: 16 }}
            />
            <List
              dataSource={data.items}
              renderItem={(i) => (
                <List.Item
                  data-testid={`check-${i.key}`}
                  actions={[
                    <Link key="go" to={i.link}>
                      {m.onboarding.go}
                    </Link>,
                  ]}
                >
                  <List.Item.Meta
                    avatar={i.done ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : <ClockCircleOutlined />}
                    title={
                      <Space>
                        {i.title}
                        <Tag color={i.done ? 'success' : 'default'}>
                          {i.done ? m.onboarding.done : m.onboarding.todo}
                        </Tag>
                      </Space>
                    }
                    description={i.detail}
                  />
                </List.Item>
              )}
            />
          </>
        )}
      </Card>
      <Card title={m.onboarding.operationsTitle} id="operations">
        <Alert type="info" showIcon title={m.onboarding.operationsHint} />
        <Typography.Paragraph style={{ marginTop: 12 }}>{m.onboarding.smsHint}</Typography.Paragraph>
        <Typography.Paragraph>{m.onboarding.backupHint}</Typography.Paragraph>
      </Card>
    </Space>
  );
}
