import type { FastifyReply } from 'fastify';
import type { App } from '../../app.js';

/**
 * Routes that take a file as the raw body (`application/octet-stream`, its name in the
 * query), registered in a scope of their own so the parser applies to them only. The scope
 * takes bodies up to `maxBytes`; each route sets its `bodyLimit` (`uploadLimit(maxBytes)`)
 * so an oversized file is refused with 413 before it is read whole.
 */
export function rawUploadRoutes(app: App, maxBytes: number, routes: (scope: App) => void): void {
  app.register(async (sub) => {
    sub.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: uploadLimit(maxBytes) },
      (_req, body, done) => done(null, body),
    );
    routes(sub as unknown as App);
  });
}

/** The body limit of an upload route: the file's limit and room for nothing else. */
export const uploadLimit = (maxBytes: number) => maxBytes + 1024;

/** The uploaded bytes of a raw-body request (empty when there was no body). */
export const uploadedBytes = (req: { body: unknown }): Buffer =>
  (req.body as Buffer | undefined) ?? Buffer.alloc(0);

/** Answers with a file (stored or generated) as a download under its own (UTF-8) name. */
export function sendDownload(
  reply: FastifyReply,
  f: { mime: string; name: string; bytes: Buffer | Uint8Array | string },
) {
  return reply
    .header('content-type', f.mime)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`)
    .send(f.bytes);
}

/** A CSV file (`platform/csv.ts`) as a download. */
export const sendCsv = (reply: FastifyReply, name: string, csv: string) =>
  sendDownload(reply, { name, mime: 'text/csv; charset=utf-8', bytes: csv });
