import { z } from 'zod';
import { id, idParam, page } from '../../../shared/contracts/common.js';
import {
  activityAction,
  activityActionParams,
  activityCreate,
  activityListQuery,
  activityView,
  certificateIssue,
  certificateParam,
  certificateView,
  checkinCode,
  correctBody,
  fiveStarApply,
  fiveStarReview,
  fiveStarView,
  hoursImport,
  ledgerEntry,
  messageBody,
  myVolunteer,
  revokeBody,
  ruleCreate,
  ruleView,
  signupActionBody,
  signupActionParams,
  signupView,
  treeStatsQuery,
  treeStatsRow,
  volunteerHours,
} from '../../../shared/contracts/volunteers.js';
import type { App } from '../../app.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { rawUploadRoutes, uploadedBytes, uploadLimit } from '../../platform/http/files.js';
import { createActivityService, MAX_PHOTO_BYTES } from './activities.js';
import { createAttendanceService } from './attendance.js';
import { createCertificateService } from './certificates.js';
import { createHoursService } from './hours.js';
import { createStatsService } from './stats.js';

/** The staff side of activities and volunteers (login required). */
export function registerVolunteerRoutes(app: App, deps: Deps) {
  const activities = createActivityService(deps);
  const attendance = createAttendanceService(deps, activities);
  const hours = createHoursService(deps);
  const certs = createCertificateService(deps);
  const stats = createStatsService(deps);
  const tags = ['活动与志愿服务 volunteers'];
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps.clock);
  const ok = z.object({ ok: z.boolean() }).passthrough();

  app.get(
    '/api/activities',
    {
      schema: {
        tags,
        summary: '查询志愿活动列表',
        querystring: activityListQuery,
        response: { 200: page(activityView) },
      },
    },
    (req) => activities.list(ctx(req), req.query),
  );
  app.post(
    '/api/activities',
    { schema: { tags, summary: '发布志愿活动', body: activityCreate, response: { 201: activityView } } },
    async (req, reply) => reply.status(201).send(await activities.create(ctx(req), req.body)),
  );
  app.get(
    '/api/activities/:id',
    { schema: { tags, summary: '查询志愿活动详情', params: idParam, response: { 200: activityView } } },
    (req) => activities.get(ctx(req), req.params.id),
  );
  app.post(
    '/api/activities/:id/actions/:action',
    {
      schema: {
        tags,
        summary: '结束或取消志愿活动',
        params: activityActionParams,
        body: activityAction,
        response: { 200: activityView },
      },
    },
    (req) => activities.act(ctx(req), req.params.id, req.params.action, req.body),
  );
  app.post(
    '/api/activities/:id/message',
    { schema: { tags, summary: '向已录取的报名者发送短信', params: idParam, body: messageBody } },
    (req) => activities.message(ctx(req), req.params.id, req.body.body),
  );
  app.get(
    '/api/activities/:id/signups',
    { schema: { tags, summary: '查询活动报名名单', params: idParam, response: { 200: page(signupView) } } },
    (req) => attendance.list(ctx(req), req.params.id),
  );
  app.get(
    '/api/activities/:id/stats',
    { schema: { tags, summary: '志愿活动参与统计', params: idParam } },
    (req) => stats.activity(ctx(req), req.params.id),
  );
  app.get(
    '/api/activities/:id/photos/:hash',
    {
      schema: {
        tags,
        summary: '查看活动照片',
        params: z.object({ id, hash: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
      },
    },
    async (req, reply) => {
      const bytes = await activities.photo(ctx(req), req.params.id, req.params.hash);
      const png = bytes[0] === 0x89;
      return reply
        .header('content-type', png ? 'image/png' : 'image/jpeg')
        .header('cache-control', 'private, max-age=3600')
        .send(bytes);
    },
  );
  rawUploadRoutes(app, MAX_PHOTO_BYTES, (scope) => {
    scope.post(
      '/api/activities/:id/photos',
      {
        bodyLimit: uploadLimit(MAX_PHOTO_BYTES),
        schema: { tags, summary: '上传活动照片', params: idParam, response: { 201: activityView } },
      },
      async (req, reply) =>
        reply.status(201).send(await activities.addPhoto(ctx(req), req.params.id, uploadedBytes(req))),
    );
  });
  app.get(
    '/api/activity-shifts/:id/checkin',
    { schema: { tags, summary: '获取班次签到二维码', params: idParam, response: { 200: checkinCode } } },
    async (req, reply) => {
      void reply.header('cache-control', 'no-store');
      return attendance.checkinCode(ctx(req), req.params.id);
    },
  );
  app.post(
    '/api/activity-signups/:id/actions/:action',
    {
      schema: {
        tags,
        summary: '处理报名（审核、签到签退、缺席、补录）',
        params: signupActionParams,
        body: signupActionBody,
        response: { 200: signupView },
      },
    },
    (req) => attendance.act(ctx(req), req.params.id, req.params.action, req.body),
  );

  // hours
  app.get(
    '/api/persons/:id/volunteer-hours',
    {
      schema: { tags, summary: '查询人员的志愿服务时长', params: idParam, response: { 200: volunteerHours } },
    },
    (req) => hours.totals(ctx(req), req.params.id),
  );
  app.get(
    '/api/persons/:id/volunteer-ledger',
    {
      schema: {
        tags,
        summary: '查询人员的志愿时长明细',
        params: idParam,
        response: { 200: page(ledgerEntry) },
      },
    },
    (req) => hours.ledger(ctx(req), req.params.id),
  );
  app.post(
    '/api/persons/:id/volunteer-hours',
    { schema: { tags, summary: '补录志愿服务时长', params: idParam, body: hoursImport } },
    async (req, reply) => reply.status(201).send(await hours.importEntry(ctx(req), req.params.id, req.body)),
  );
  app.post(
    '/api/volunteer-hours/:id/revoke',
    {
      schema: {
        tags,
        summary: '撤销一笔志愿时长',
        params: idParam,
        body: revokeBody,
        response: { 200: volunteerHours },
      },
    },
    (req) => hours.revoke(ctx(req), req.params.id, req.body.reason),
  );
  app.post(
    '/api/volunteer-hours/:id/correct',
    { schema: { tags, summary: '更正一笔志愿时长', params: idParam, body: correctBody } },
    (req) => hours.correct(ctx(req), req.params.id, req.body),
  );
  app.get(
    '/api/me/volunteer',
    { schema: { tags, summary: '查询本人的志愿服务记录', response: { 200: myVolunteer } } },
    (req) => hours.mine(ctx(req)),
  );

  // certificates
  app.post(
    '/api/persons/:id/volunteer-certificates',
    {
      schema: {
        tags,
        summary: '为志愿者开具服务证明',
        params: idParam,
        body: certificateIssue,
        response: { 201: certificateView },
      },
    },
    async (req, reply) => reply.status(201).send(await certs.issueFor(ctx(req), req.params.id, req.body)),
  );
  app.post(
    '/api/me/volunteer-certificates',
    {
      schema: {
        tags,
        summary: '开具本人的志愿服务证明',
        body: certificateIssue.omit({ orgId: true }),
        response: { 201: certificateView },
      },
    },
    async (req, reply) => reply.status(201).send(await certs.issueMine(ctx(req), req.body)),
  );
  app.get(
    '/api/volunteer-certificates/:number/pdf',
    { schema: { tags, summary: '下载志愿服务证明（PDF）', params: certificateParam } },
    async (req, reply) => {
      const origin = `${req.protocol}://${req.headers.host ?? 'localhost'}`;
      const pdf = await certs.pdf(ctx(req), req.params.number, origin);
      return reply
        .header('content-type', 'application/pdf')
        .header(
          'content-disposition',
          `inline; filename*=UTF-8''${encodeURIComponent(`志愿服务记录证明-${req.params.number}.pdf`)}`,
        )
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );

  // 5★
  app.post(
    '/api/me/volunteer-five-star',
    { schema: { tags, summary: '申请五星志愿者', body: fiveStarApply } },
    async (req, reply) => reply.status(201).send(await hours.applyFiveStar(ctx(req), req.body.statement)),
  );
  app.get(
    '/api/volunteer-five-star',
    { schema: { tags, summary: '查询五星志愿者申请', response: { 200: page(fiveStarView) } } },
    (req) => hours.fiveStarList(ctx(req)),
  );
  app.post(
    '/api/volunteer-five-star/:id/review',
    {
      schema: {
        tags,
        summary: '评审五星志愿者申请',
        params: idParam,
        body: fiveStarReview,
        response: { 200: ok },
      },
    },
    (req) => hours.reviewFiveStar(ctx(req), req.params.id, req.body),
  );

  // statistics and rules
  app.get(
    '/api/volunteer-stats/tree',
    {
      schema: {
        tags,
        summary: '志愿服务统计（按组织层级）',
        querystring: treeStatsQuery,
        response: { 200: z.object({ items: z.array(treeStatsRow) }) },
      },
    },
    (req) => stats.tree(ctx(req), req.query.orgId),
  );
  app.get(
    '/api/volunteer-rules',
    {
      schema: {
        tags,
        summary: '查询志愿时长认定规则',
        response: { 200: z.object({ items: z.array(ruleView) }) },
      },
    },
    (req) => stats.rules(ctx(req)),
  );
  app.post(
    '/api/volunteer-rules',
    { schema: { tags, summary: '新增志愿时长认定规则', body: ruleCreate } },
    async (req, reply) => reply.status(201).send(await stats.addRule(ctx(req), req.body)),
  );
}
