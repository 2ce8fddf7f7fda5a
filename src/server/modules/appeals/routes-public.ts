import { z } from 'zod';
import { APPEAL_STATUSES } from '../../../shared/appeals/constants.js';
import {
  categoryNode,
  phone4Query,
  phoneCodeRequest,
  publicAppealCreated,
  publicAppealSubmit,
  publicAppealView,
  publicRating,
  trackingParam,
} from '../../../shared/contracts/appeals.js';
import type { App } from '../../app.js';
import type { Ctx } from '../../platform/actor.js';
import type { Deps } from '../../platform/deps.js';
import { rawUploadRoutes, uploadedBytes, uploadLimit } from '../../platform/http/files.js';
import { listRegions } from '../regions/routes.js';
import { appealConfig } from './config.js';
import { createFileService, MAX_FILE_BYTES } from './files.js';
import { intakeAppeal } from './intake.js';
import { sendPhoneCode, verifyPhoneCode } from './phoneQuota.js';
import { createPublicService, PUBLIC_ACTOR, verifiedAppeal } from './public.js';

const regionItem = z.object({
  code: z.string(),
  name: z.string(),
  level: z.number(),
  parentCode: z.string().nullable(),
  hasChildren: z.boolean(),
});

/** The public contract (no login, rate-limited per IP): the phone form and integrators use it. */
export function registerPublicAppealRoutes(app: App, deps: Deps) {
  const pub = createPublicService(deps);
  const files = createFileService(deps);
  const tags = ['公众诉求 public'];
  const rateLimit = { max: deps.config.rateLimit, timeWindow: '1 minute' };
  const publicCtx = (req: { id: string; ip?: string }): Ctx => ({
    actor: PUBLIC_ACTOR,
    requestId: req.id,
    ip: req.ip ?? null,
    now: deps.clock.now(),
  });

  app.get(
    '/api/public/appeal-categories',
    {
      schema: {
        tags,
        summary: '查询诉求分类（公众）',
        response: { 200: z.object({ items: z.array(categoryNode) }) },
      },
      config: { rateLimit },
    },
    async () => ({ items: (await appealConfig(deps.db)).tree() }),
  );

  app.get(
    '/api/public/regions',
    {
      schema: {
        tags,
        summary: '查询行政区划（公众）',
        querystring: z
          .object({
            parentCode: z
              .string()
              .regex(/^\d{12}$/, '行政区划代码应为12位数字')
              .optional(),
          })
          .strict(),
        response: { 200: z.object({ items: z.array(regionItem) }) },
      },
      config: { rateLimit },
    },
    async (req) => ({ items: await listRegions(deps, { parentCode: req.query.parentCode }) }),
  );

  app.post(
    '/api/public/appeals',
    {
      schema: {
        tags,
        summary: '提交诉求（公众）',
        body: publicAppealSubmit,
        response: { 200: publicAppealCreated, 201: publicAppealCreated },
      },
      config: { rateLimit },
    },
    async (req, reply) => {
      const { phoneCode, ...body } = req.body;
      // a code is checked only when given: the intake itself stays one statement
      if (phoneCode) await verifyPhoneCode(deps, body.phone, phoneCode);
      const r = await intakeAppeal(
        deps,
        publicCtx(req),
        { ...body, channel: 'web', priority: 'normal' },
        undefined,
        { quota: true },
      );
      return reply.status(r.duplicate ? 200 : 201).send({
        trackingCode: r.trackingCode,
        status: r.status,
        statusLabel: APPEAL_STATUSES[r.status],
        orgName: r.orgName,
        createdAt: r.createdAt.toISOString(),
        duplicate: r.duplicate,
      });
    },
  );

  app.post(
    '/api/public/phone-codes',
    {
      schema: {
        tags,
        summary: '发送手机验证码',
        body: phoneCodeRequest,
        response: { 202: z.object({ sent: z.boolean() }) },
      },
      config: { rateLimit },
    },
    async (req, reply) => {
      await sendPhoneCode(deps, req.body.phone);
      return reply.status(202).send({ sent: true });
    },
  );

  app.get(
    '/api/public/appeals/:trackingCode',
    {
      schema: {
        tags,
        summary: '凭查询码查看诉求进度',
        params: trackingParam,
        querystring: phone4Query,
        response: { 200: publicAppealView },
      },
      config: { rateLimit },
    },
    async (req, reply) => {
      void reply.header('cache-control', 'no-store');
      return pub.view(req.params.trackingCode, req.query.phone4);
    },
  );

  app.post(
    '/api/public/appeals/:trackingCode/rating',
    {
      schema: {
        tags,
        summary: '评价诉求办理结果',
        params: trackingParam,
        body: publicRating,
        response: { 200: publicAppealView },
      },
      config: { rateLimit },
    },
    async (req) => {
      await pub.rate(req.ip ?? null, req.id, req.params.trackingCode, req.body);
      return pub.view(req.params.trackingCode, req.body.phone4);
    },
  );

  rawUploadRoutes(app, MAX_FILE_BYTES, (scope) => {
    scope.post(
      '/api/public/appeals/:trackingCode/files',
      {
        bodyLimit: uploadLimit(MAX_FILE_BYTES),
        schema: {
          tags,
          summary: '上传诉求附件（公众）',
          params: trackingParam,
          querystring: phone4Query.extend({ name: z.string().min(1).max(200) }).strict(),
          response: {
            201: z.object({ id: z.number(), name: z.string(), size: z.number(), mime: z.string() }),
          },
        },
        config: { rateLimit },
      },
      async (req, reply) => {
        const a = await verifiedAppeal(deps.db, deps, req.params.trackingCode, req.query.phone4);
        const f = await files.publicUpload(publicCtx(req), a, req.query.name, uploadedBytes(req));
        return reply.status(201).send(f);
      },
    );
  });
}
