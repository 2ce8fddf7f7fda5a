import { Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import type {
  certificateVerify,
  checkinResult,
  mySignup,
  publicActivityDetail,
  publicActivityItem,
} from '../../shared/contracts/volunteers';
import { ApiError } from '../api';

export type Item = z.infer<typeof publicActivityItem>;
export type Detail = z.infer<typeof publicActivityDetail>;
export type Verify = z.infer<typeof certificateVerify>;
export type Checkin = z.infer<typeof checkinResult>;
export type Mine = z.infer<typeof mySignup>;

/** The volunteer's passes, kept on the phone (one per sign-up; any of them identifies the person). */
const PASS_KEY = 'niudai.volunteer.passes';
export const passes = (): string[] => JSON.parse(localStorage.getItem(PASS_KEY) ?? '[]') as string[];
export const addPass = (p: string) =>
  localStorage.setItem(PASS_KEY, JSON.stringify([p, ...passes().filter((x) => x !== p)].slice(0, 10)));

export const msg = (e: unknown) => (e instanceof ApiError ? e.message : '网络异常，请稍后再试');
export const when = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

export const page: React.CSSProperties = { maxWidth: 480, margin: '0 auto', padding: 12 };

export function Header({ title }: { title: string }) {
  return (
    <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      <Space size={12}>
        <Link to="/volunteer">活动</Link>
        <Link to="/volunteer/me">我的报名</Link>
      </Space>
    </Space>
  );
}
