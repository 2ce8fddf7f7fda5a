import { z } from 'zod';
import { idParam, page, paging } from '../../../../shared/contracts/common.js';
import {
  meetingCreate,
  meetingView,
  noticeCreate,
  noticeView,
  overdueItem,
  periodQuery,
  rankRow,
} from '../../../../shared/contracts/tasks.js';
import type { App } from '../../../app.js';
import type { Deps } from '../../../platform/deps.js';
import { ctxOf } from '../../../platform/http/context.js';
import { sendDownload } from '../../../platform/http/files.js';
import { forReads } from '../../../platform/http/reads.js';
import { createMeetingService } from '../meetings/service.js';
import { noticeDocx, noticeXlsx } from './export.js';
import { createNoticeService } from './service.js';

/** Rankings, notices (通报) with their .docx and .xlsx, and joint meetings. */
export function registerNoticeRoutes(app: App, deps: Deps) {
  const notices = createNoticeService(deps);
  const rankings = forReads(deps, createNoticeService);
  const meetings = createMeetingService(deps);
  const tags = ['部署督办 notices'];
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps.clock);
  const list = z.object(paging).strict();

  app.get(
    '/api/task-rankings',
    {
      schema: {
        tags,
        summary: '任务完成情况排名',
        querystring: periodQuery,
        response: {
          200: z.object({
            ranking: z.array(rankRow),
            overdue: z.array(overdueItem),
            period: z.object({ from: z.string(), to: z.string() }),
          }),
        },
      },
    },
    async (req) => (await rankings(req)).ranking(ctx(req), req.query),
  );
  app.get(
    '/api/task-notices',
    { schema: { tags, summary: '查询通报列表', querystring: list, response: { 200: page(noticeView) } } },
    (req) => notices.list(ctx(req), req.query),
  );
  app.post(
    '/api/task-notices',
    { schema: { tags, summary: '新建通报', body: noticeCreate, response: { 201: noticeView } } },
    async (req, reply) => reply.status(201).send(await notices.create(ctx(req), req.body)),
  );
  app.get(
    '/api/task-notices/:id',
    { schema: { tags, summary: '查询通报详情', params: idParam, response: { 200: noticeView } } },
    (req) => notices.get(ctx(req), req.params.id),
  );
  app.get(
    '/api/task-notices/:id/export',
    {
      schema: {
        tags,
        summary: '导出通报（Word 或 Excel）',
        params: idParam,
        querystring: z.object({ format: z.enum(['docx', 'xlsx']) }).strict(),
      },
    },
    async (req, reply) => {
      const n = await notices.get(ctx(req), req.params.id);
      const docx = req.query.format === 'docx';
      const bytes = docx ? await noticeDocx(n) : await noticeXlsx(n);
      return sendDownload(reply, {
        name: `${n.title}.${req.query.format}`,
        mime: docx
          ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        bytes,
      });
    },
  );

  app.get(
    '/api/task-meetings',
    { schema: { tags, summary: '查询会议列表', querystring: list, response: { 200: page(meetingView) } } },
    (req) => meetings.list(ctx(req), req.query),
  );
  app.post(
    '/api/task-meetings',
    { schema: { tags, summary: '新建会议', body: meetingCreate, response: { 201: meetingView } } },
    async (req, reply) => reply.status(201).send(await meetings.create(ctx(req), req.body)),
  );
  app.get(
    '/api/task-meetings/:id',
    { schema: { tags, summary: '查询会议详情', params: idParam, response: { 200: meetingView } } },
    (req) => meetings.get(ctx(req), req.params.id),
  );
}
