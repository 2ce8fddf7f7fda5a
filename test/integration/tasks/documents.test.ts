import { readFile } from 'node:fs/promises';
import { Document, Packer, Paragraph } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { newDoc, orgByName, orgOfUser, SPEECHES, setClock } from './helpers.js';

let sys: TestSystem;
let admin: Client;
let county1: Client;
let rootOrg: number;
let _county1Org: number;
let county2Org: number;

async function upload(c: Client, name: string, bytes: Buffer) {
  const res = await sys.app.inject({
    method: 'POST',
    url: `/api/task-docs/extract?name=${encodeURIComponent(name)}`,
    headers: { cookie: c.cookie!, 'x-csrf-token': c.csrf!, 'content-type': 'application/octet-stream' },
    payload: bytes,
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
  rootOrg = await orgOfUser(sys, 'admin');
  _county1Org = await orgOfUser(sys, 'county1.union');
  county2Org = await orgOfUser(sys, 'county2.union');
  await setClock(admin, '2026-03-02T09:00:00');
});
afterAll(() => sys?.close());

describe('documents', () => {
  it('registers a pasted document with a normalized document number, and refuses the same number twice', async () => {
    const r = await admin.post('/api/task-docs', {
      orgId: rootOrg,
      title: '全市群团工作会议讲话',
      docNo: '张政发[2026]37号',
      docDate: '2026-03-02',
      body: '同志们：\n一、抓好落实\n市总工会要在6月底前完成职工服务阵地建设。',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.docNo).toBe('张政发〔2026〕37号');
    expect(r.body.status).toBe('draft');
    const dup = await admin.post('/api/task-docs', {
      orgId: rootOrg,
      title: '重复',
      docNo: '张政发〔2026〕37号',
      docDate: '2026-03-02',
      body: '正文',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toContain('已经登记');
  });

  it('gives clear errors for empty, binary, over-long text and a malformed document number', async () => {
    const base = { orgId: rootOrg, title: '坏文档', docDate: '2026-03-02' };
    const empty = await admin.post('/api/task-docs', { ...base, body: '   \n\n ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('文档内容为空');
    const binary = await admin.post('/api/task-docs', {
      ...base,
      body: '\u0001\u0002\u0003\u0004'.repeat(50),
    });
    expect(binary.status).toBe(400);
    expect(binary.body.error.message).toContain('不是文本');
    const long = await admin.post('/api/task-docs', { ...base, body: '字'.repeat(600_000) });
    expect(long.status).toBe(413);
    expect(long.body.error.message).toContain('文档过长');
    const badNo = await admin.post('/api/task-docs', { ...base, body: '正文', docNo: '第37号文件' });
    expect(badNo.status).toBe(400);
    expect(badNo.body.error.message).toContain('发文字号格式不正确');
    const badDate = await admin.post('/api/task-docs', { ...base, body: '正文', docDate: '2026-02-30' });
    expect(badDate.status).toBe(400);
    const list = await admin.get('/api/task-docs?q=坏文档');
    expect(list.body.total).toBe(0);
  });

  it('refuses a document for an organization outside the scope (404)', async () => {
    const r = await county1.post('/api/task-docs', {
      orgId: county2Org,
      title: 'x',
      docDate: '2026-03-02',
      body: '正文',
    });
    expect(r.status).toBe(404);
  });

  it('extracts text from .txt (UTF-8, GB18030) and .docx uploads, with clear errors for bad files', async () => {
    const utf8 = await upload(admin, '讲话.txt', Buffer.from('市总工会要在年内完成任务。', 'utf8'));
    expect(utf8.status, JSON.stringify(utf8.body)).toBe(200);
    expect(utf8.body.text).toBe('市总工会要在年内完成任务。');
    const gbk = Buffer.from([0xca, 0xd0, 0xd7, 0xdc, 0xb9, 0xa4, 0xbb, 0xe1]); // 市总工会 in GB18030
    const g = await upload(admin, 'gbk.txt', gbk);
    expect(g.body.text).toBe('市总工会');
    const doc = new Document({
      sections: [{ children: [new Paragraph('一、总体要求'), new Paragraph('市妇联要在6月底前完成调查。')] }],
    });
    const d = await upload(admin, '方案.docx', await Packer.toBuffer(doc));
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body.format).toBe('docx');
    expect(d.body.text).toContain('市妇联要在6月底前完成调查。');
    expect(d.body.fileHash).toMatch(/^[0-9a-f]{64}$/);

    const empty = await upload(admin, 'a.txt', Buffer.alloc(0));
    expect(empty.status).toBe(400);
    const bin = await upload(admin, 'a.txt', Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00]));
    expect(bin.status).toBe(400);
    expect(bin.body.error.message).toContain('二进制');
    const fake = await upload(admin, 'a.docx', Buffer.from('plain text, not a zip'));
    expect(fake.status).toBe(400);
    expect(fake.body.error.message).toContain('不是 Word');
    // .doc is read (word-extractor); a truncated compound file is a clear error, not a crash
    const old = await upload(admin, 'a.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
    expect(old.status).toBe(400);
    expect(old.body.error.message).toContain('无法读取该旧版 Word');
    const big = await upload(admin, 'big.txt', Buffer.alloc(10 * 1024 * 1024 + 10, 0x41));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const other = await upload(admin, 'a.exe', Buffer.from('MZ'));
    expect(other.status).toBe(400);
    // someone who may not deploy may not upload either
    const town = await sys.login('town1.union');
    expect((await upload(town, 'a.txt', Buffer.from('x'))).status).toBe(403);
  });
});

describe('decomposition and unit matching', () => {
  it('matches unit names to organizations: short forms, Traditional, pinyin, and suggests otherwise', async () => {
    const r = await admin.post('/api/task-docs/match-units', {
      names: ['市妇联', '市總工會', '团市委', '示范市妇女联合汇', '市水利局'],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const by = Object.fromEntries(r.body.map((m: { name: string }) => [m.name, m]));
    expect(by.市妇联.orgId).toBe(await orgByName(sys, '示范市妇女联合会'));
    expect(by.市總工會.orgId).toBe(await orgByName(sys, '示范市总工会'));
    expect(by.团市委.orgId).toBe(await orgByName(sys, '共青团示范市委员会'));
    expect(by.示范市妇女联合汇.orgId).toBe(await orgByName(sys, '示范市妇女联合会'));
    expect(by.示范市妇女联合汇.candidates[0].how).toBe('拼音相同');
    expect(by.市水利局.orgId).toBeNull();
  });

  it('only matches organizations the user can see', async () => {
    const r = await county1.post('/api/task-docs/match-units', { names: ['市妇联'] });
    expect(r.body[0].orgId).toBeNull();
  });

  it('decomposes speech-05 into a draft with headings, units, deadlines and targets', async () => {
    const text = await readFile(new URL('speech-05.txt', SPEECHES), 'utf8');
    const doc = await newDoc(admin, rootOrg, text, { title: '全市环境保护工作会议讲话' });
    const r = await admin.post(`/api/task-docs/${doc.id}/decompose`);
    expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(200);
    expect(r.body.headings.length).toBeGreaterThan(5);
    expect(r.body.tasks.length).toBeGreaterThan(20);
    const water = r.body.tasks.find((t: { lead: string[] }) => t.lead.includes('市水利局'));
    expect(water).toBeTruthy();
    // spans index the stored text
    const stored = (await admin.get(`/api/task-docs/${doc.id}`)).body.body as string;
    expect(stored.slice(water.start, water.end)).toBe(water.text);
    const dated = r.body.tasks.find(
      (t: { deadline: { date: string } | null }) => t.deadline?.date === '2026-06-30',
    );
    expect(dated.dueDate).toBe('2026-06-30');
    expect(r.body.units.find((u: { name: string }) => u.name === '市水利局').orgId).toBeNull();
  });

  it('decomposes a document without numbering and one without assignments, without errors', async () => {
    const plain = await newDoc(
      admin,
      rootOrg,
      '市总工会要在年内完成职工之家建设。市妇联负责实施巾帼建功行动。',
    );
    const r = await admin.post(`/api/task-docs/${plain.id}/decompose`);
    expect(r.status).toBe(200);
    expect(r.body.unnumbered).toBe(true);
    const none = await newDoc(admin, rootOrg, '今天天气很好，大家辛苦了。');
    const n = await admin.post(`/api/task-docs/${none.id}/decompose`);
    expect(n.status).toBe(200);
    expect(n.body.tasks).toEqual([]);
  });

  it('publishes a reviewed draft as tasks mapped to organizations, and says what is wrong with a bad one', async () => {
    const doc = await newDoc(
      admin,
      rootOrg,
      '一、职工服务\n市总工会要在6月底前建成100个职工驿站，市妇联配合。',
      { title: '发布测试' },
    );
    const draft = (await admin.post(`/api/task-docs/${doc.id}/decompose`)).body;
    const t = draft.tasks[0];
    const union = await orgByName(sys, '示范市总工会');
    const women = await orgByName(sys, '示范市妇女联合会');
    const task = {
      title: t.title,
      content: t.text,
      leadOrgIds: [union],
      coOrgIds: [women],
      dueDate: t.dueDate,
      targets: t.targets,
      sourceStart: t.start,
      sourceEnd: t.end,
      leader: '张副市长',
      ownerPerson: '李主席',
      handler: '王科长',
      milestones: [{ title: '完成选址', dueDate: '2026-04-15' }],
    };
    const past = await admin.post(`/api/task-docs/${doc.id}/publish`, {
      version: doc.version,
      tasks: [task, { ...task, dueDate: '2025-12-31' }],
    });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toContain('第 2 项任务');
    const both = await admin.post(`/api/task-docs/${doc.id}/publish`, {
      version: doc.version,
      tasks: [{ ...task, coOrgIds: [union] }],
    });
    expect(both.body.error.message).toContain('既牵头又配合');
    const none = await admin.post(`/api/task-docs/${doc.id}/publish`, {
      version: doc.version,
      tasks: [{ ...task, leadOrgIds: [] }],
    });
    expect(none.status).toBe(400);
    const ok = await admin.post(`/api/task-docs/${doc.id}/publish`, { version: doc.version, tasks: [task] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.taskIds).toHaveLength(1);
    const stale = await admin.post(`/api/task-docs/${doc.id}/publish`, {
      version: doc.version,
      tasks: [task],
    });
    expect(stale.status).toBe(409);
    const got = await admin.get(`/api/tasks/${ok.body.taskIds[0]}`);
    expect(got.body.lead).toEqual([{ id: union, name: '示范市总工会' }]);
    expect(got.body.co).toEqual([{ id: women, name: '示范市妇女联合会' }]);
    expect(got.body.targets).toEqual(t.targets);
    expect(got.body.milestones[0].title).toBe('完成选址');
    expect(got.body.document.id).toBe(doc.id);
    expect(got.body.status).toBe('not_started');
    expect(got.body.nextReportDue).toBe('2026-03-31');
    const d = await admin.get(`/api/task-docs/${doc.id}`);
    expect(d.body.status).toBe('published');
    expect(d.body.taskCount).toBe(1);
  });
});
