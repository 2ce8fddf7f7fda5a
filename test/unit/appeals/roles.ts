import type { Permission } from '../../../src/shared/permissions.js';

/** The appeal permissions of the seeded roles (src/server/seed/demo.ts), admin holding all. */
export const ROLE_APPEAL_PERMS: Record<string, Permission[]> = {
  admin: [
    'appeal:intake',
    'appeal:read',
    'appeal:handle',
    'appeal:dispatch',
    'appeal:supervise',
    'pii:reveal',
  ],
  org_admin: ['appeal:read', 'appeal:handle', 'appeal:dispatch'],
  staff: ['appeal:read', 'appeal:handle'],
  hotline: ['appeal:intake', 'appeal:read', 'appeal:dispatch'],
  supervisor: ['appeal:read', 'appeal:supervise'],
  self: [],
};
