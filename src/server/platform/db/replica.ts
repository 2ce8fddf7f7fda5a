import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from './sql.js';
import type { Db } from './types.js';

/** `0/3000060` → a comparable number (the WAL position as 64 bits). */
export function lsnValue(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  if (!hi || !lo || !/^[0-9A-Fa-f]+$/.test(hi) || !/^[0-9A-Fa-f]+$/.test(lo))
    throw new Error(`bad LSN ${lsn}`);
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

export const LSN_COOKIE = 'niudai_lsn';

interface ReplicaState {
  at: number;
  ok: boolean;
  replayed: bigint;
  lagSeconds: number;
}

/**
 * Where a read goes when a streaming standby is configured (`DATABASE_REPLICA_URL`).
 * Read-heavy endpoints ask `readerFor(req)`: the standby, unless it is down, further
 * behind than `maxLagSeconds`, or has not yet replayed the caller's own last write.
 *
 * Reading one's own writes: every successful write answered to a caller sets the cookie
 * `niudai_lsn` to the primary's WAL position after it (`markWrite`). A read with that cookie
 * goes to the standby only once the standby has replayed past that position. The cookie
 * travels with the user, so the rule holds whichever API process answers the next request.
 */
export class ReadRouter {
  private state: ReplicaState | undefined;
  private probing: Promise<ReplicaState> | undefined;
  /** reads sent to the primary because the standby was down or behind (a warning metric) */
  fallbacks = 0;

  constructor(
    private readonly primary: Db,
    readonly replica: Db | null,
    private readonly maxLagSeconds = 30,
    private readonly probeEveryMs = 1000,
  ) {}

  /** The standby's replay position and lag, probed at most once per `probeEveryMs`. */
  async status(): Promise<ReplicaState | null> {
    if (!this.replica) return null;
    const now = Date.now();
    if (this.state && now - this.state.at < this.probeEveryMs) return this.state;
    this.probing ??= this.probe(now).finally(() => {
      this.probing = undefined;
    });
    this.state = await this.probing;
    return this.state;
  }

  private async probe(at: number): Promise<ReplicaState> {
    try {
      const [r] = await this.replica!.query<{ lsn: string | null; lag: number | null; idle: boolean }>(
        sql`SELECT pg_last_wal_replay_lsn()::text AS lsn,
                   COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)::float8 AS lag,
                   pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AS idle`,
      );
      if (!r?.lsn) return { at, ok: false, replayed: 0n, lagSeconds: Number.POSITIVE_INFINITY };
      // an idle primary writes nothing: replay time stands still although nothing is missing
      const lag = r.idle ? 0 : (r.lag ?? 0);
      return { at, ok: true, replayed: lsnValue(r.lsn), lagSeconds: lag };
    } catch {
      return { at, ok: false, replayed: 0n, lagSeconds: Number.POSITIVE_INFINITY };
    }
  }

  /** The database a read for this request should use. */
  async readerFor(req: FastifyRequest): Promise<Db> {
    if (!this.replica) return this.primary;
    const s = await this.status();
    if (!s?.ok || s.lagSeconds > this.maxLagSeconds) {
      this.fallbacks++;
      return this.primary;
    }
    const mine = req.cookies?.[LSN_COOKIE];
    if (mine) {
      try {
        if (s.replayed < lsnValue(mine)) {
          // probe again at once: the standby may have caught up since the last probe
          this.state = undefined;
          const fresh = await this.status();
          if (!fresh?.ok || fresh.replayed < lsnValue(mine)) return this.primary;
        }
      } catch {
        return this.primary; // a cookie that is not an LSN: read the primary
      }
    }
    return this.replica;
  }

  /** After a successful write: remember its position with the caller (see the class comment). */
  async markWrite(reply: FastifyReply): Promise<void> {
    if (!this.replica) return;
    const [r] = await this.primary.query<{ lsn: string }>(sql`SELECT pg_current_wal_lsn()::text AS lsn`);
    if (r)
      void reply.setCookie(LSN_COOKIE, r.lsn, { path: '/', httpOnly: true, sameSite: 'strict', maxAge: 300 });
  }

  async close(): Promise<void> {
    await this.replica?.close();
  }
}
