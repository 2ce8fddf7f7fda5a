import { z } from 'zod';
import { idParam } from '../../../shared/contracts/common.js';
import {
  certificateParam,
  certificateVerify,
  checkinResult,
  mySignup,
  passBody,
  publicActivityDetail,
  publicActivityItem,
  publicActivityQuery,
  publicCheckin,
  publicSignup,
  publicSignupResult,
  smsCodeRequest,
} from '../../../shared/contracts/volunteers.js';
import { ACTIVITY_KINDS } from '../../../shared/volunteers/rules.js';
import type { App } from '../../app.js';
import type { Actor, Ctx } from '../../platform/actor.js';
import type { Deps } from '../../platform/deps.js';
import { notFound } from '../../platform/errors.js';
import { createActivityService } from './activities.js';
import { createAttendanceService } from './attendance.js';
import { createCertificateService } from './certificates.js';
import * as repo from './repo.js';
import { personsOfPass, publicSignupAct, publicSignup as signUp, signupsOfPersons } from './signups.js';
import { latestCode, requestCode } from './sms.js';
import { publicActivities } from './stats.js';

/** Who acts on the public pages: a volunteer proven by an SMS code or a pass, not a user. */
export const VOLUNTEER_ACTOR: Actor = {
  userId: 0,
  username: 'public',
  displayName: '志愿者',
  orgId: 0,
  orgPath: '/',
  permissions: new Set(),
  scope: { kinds: [], all: false, orgIds: [], subtrees: [], self: false },
  via: 'system',
};

/** The public contract (no login, rate-limited per IP): the phone pages use it. */
export function registerPublicVolunteerRoutes(app: App, deps: Deps) {
  const activities = createActivityService(deps);
  const attendance = createAttendanceService(deps, activities);
  const certs = createCertificateService(deps);
  const tags = ['公众活动 public'];
  const rateLimit = { max: deps.config.rateLimit, timeWindow: '1 minute' };
  const pctx = (req: { id: string; ip?: string }): Ctx => ({
    actor: VOLUNTEER_ACTOR,
    requestId: req.id,
    ip: req.ip ?? null,
    now: deps.clock.now(),
  });

  app.get(
    '/api/public/activities',
    {
      schema: {
        tags,
        summary: '查询可报名的志愿活动（公众）',
        querystring: publicActivityQuery,
        response: { 200: z.object({ items: z.array(publicActivityItem) }) },
      },
      config: { rateLimit },
    },
    async (req) => ({ items: await publicActivities(deps.db, deps.clock.now(), req.query.regionCode) }),
  );

  app.get(
    '/api/public/activities/:id',
    {
      schema: {
        tags,
        summary: '查询志愿活动详情（公众）',
        params: idParam,
        response: { 200: publicActivityDetail },
      },
      config: { rateLimit },
    },
    async (req) => {
      const now = deps.clock.now();
      const a = await repo.getActivity(deps.db, req.params.id);
      if (!a) throw notFound('活动');
      if (a.status !== 'published') throw notFound('活动');
      const shifts = (await repo.shiftsOf(deps.db, [a.id])).get(a.id) ?? [];
      const v = repo.presentActivity(a, shifts, now);
      return {
        id: v.id,
        title: v.title,
        kind: ACTIVITY_KINDS[a.kind as keyof typeof ACTIVITY_KINDS] ?? a.kind,
        kindLabel: v.kindLabel,
        orgName: v.orgName,
        regionCode: v.regionCode,
        startsAt: v.startsAt,
        endsAt: v.endsAt,
        capacity: v.capacity,
        signedUp: v.signedUp,
        description: v.description,
        address: v.address,
        minAge: v.minAge,
        maxAge: v.maxAge,
        skills: v.skills,
        recruitFrom: v.recruitFrom,
        recruitUntil: v.recruitUntil,
        recordsHours: v.recordsHours,
        hoursPerShift: v.hoursPerShift,
        recruiting: v.phase === 'recruiting',
        shifts: v.shifts,
      };
    },
  );

  app.post(
    '/api/public/sms-codes',
    {
      schema: {
        tags,
        summary: '发送短信验证码（志愿报名）',
        body: smsCodeRequest,
        response: { 201: z.object({ expiresAt: z.string() }) },
      },
      config: { rateLimit: { max: Math.min(deps.config.rateLimit, 1000), timeWindow: '1 minute' } },
    },
    async (req, reply) => reply.status(201).send(await requestCode(deps, pctx(req), req.body.phone)),
  );

  app.post(
    '/api/public/activities/:id/signups',
    {
      schema: {
        tags,
        summary: '报名志愿活动（公众）',
        params: idParam,
        body: publicSignup,
        response: { 201: publicSignupResult },
      },
      config: { rateLimit },
    },
    async (req, reply) => {
      void reply.header('cache-control', 'no-store');
      return reply.status(201).send(await signUp(deps, pctx(req), req.params.id, req.body));
    },
  );

  app.post(
    '/api/public/my-signups',
    {
      schema: {
        tags,
        summary: '查询本人的报名（凭通行凭证）',
        body: passBody,
        response: { 200: z.object({ items: z.array(mySignup) }) },
      },
      config: { rateLimit },
    },
    async (req) => ({ items: await signupsOfPersons(deps.db, await personsOfPass(deps.db, req.body.pass)) }),
  );

  app.post(
    '/api/public/signups/:id/:action',
    {
      schema: {
        tags,
        summary: '取消或确认报名（公众）',
        params: idParam.extend({ action: z.enum(['cancel', 'confirm']) }).strict(),
        body: passBody,
      },
      config: { rateLimit },
    },
    (req) => publicSignupAct(deps, pctx(req), req.body.pass, req.params.id, req.params.action),
  );

  app.post(
    '/api/public/checkin',
    {
      schema: {
        tags,
        summary: '扫码签到或签退（公众）',
        body: publicCheckin,
        response: { 200: checkinResult },
      },
      config: { rateLimit },
    },
    (req) => attendance.publicCheckin(pctx(req), req.body),
  );

  app.get(
    '/api/public/volunteer-certificates/:number',
    {
      schema: {
        tags,
        summary: '核验志愿服务证明',
        params: certificateParam,
        response: { 200: certificateVerify },
      },
      config: { rateLimit },
    },
    (req) => certs.verify(req.params.number),
  );

  if (deps.config.testClock) {
    // the code the log sender wrote, for browser tests (only with the controllable clock)
    app.get(
      '/api/test/volunteer-sms-code',
      {
        schema: {
          tags,
          summary: '读取最近的短信验证码（仅测试环境）',
          querystring: z.object({ phone: z.string().max(20) }).strict(),
        },
      },
      async (req) => ({ code: await latestCode(deps, req.query.phone) }),
    );
  }
}
