import type { DataScope, Permission } from '../../shared/permissions.js';

/** Who is acting, what they may do and which rows they may see. Built once per request. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  orgId: number;
  orgPath: string;
  permissions: ReadonlySet<Permission>;
  scope: Scope;
  via: 'session' | 'token' | 'system';
  /** signed in with a one-time password: every endpoint but the password change answers 403 */
  mustChangePassword?: boolean;
}

/** The union of the data scopes of the actor's roles. */
export interface Scope {
  kinds: DataScope[];
  all: boolean;
  /** exact organizations (CUSTOM and ORG) */
  orgIds: number[];
  /** subtree path prefixes (ORG_AND_BELOW) */
  subtrees: string[];
  /** rows the actor owns (SELF) */
  self: boolean;
}

/** Request-scoped context handed to every service call. */
export interface Ctx {
  actor: Actor;
  requestId: string;
  ip: string | null;
  now: Date;
}

export const SYSTEM_ACTOR: Actor = {
  userId: 0,
  username: 'system',
  displayName: '系统',
  orgId: 0,
  orgPath: '/',
  permissions: new Set(),
  scope: { kinds: ['ALL'], all: true, orgIds: [], subtrees: [], self: false },
  via: 'system',
};
