import { z } from 'zod';
import { paging, text, version } from './common.js';
import { membershipRole } from './people.js';

/**
 * 关联申请: registering a person whose record another organization keeps (outside the
 * caller's scope) files a request instead of disclosing or attaching the record; the keeping
 * organization approves or rejects it (docs/people.md, "Registering someone registered elsewhere").
 */
export const PERSON_CLAIM_STATUS = {
  pending: '待对方组织同意',
  approved: '已同意',
  rejected: '未同意',
} as const;
export const personClaimStatus = z.enum(['pending', 'approved', 'rejected']);

/** The answer of POST /api/persons (202) when the person is registered outside the caller's scope. */
export const personClaimed = z.object({
  claimId: z.number(),
  status: personClaimStatus,
  message: z.string(),
});

export const personClaimListQuery = z
  .object({
    /** incoming: requests about persons the caller's organizations keep; outgoing: the caller's organizations' requests */
    box: z.enum(['incoming', 'outgoing']).default('incoming'),
    status: personClaimStatus.optional(),
    ...paging,
  })
  .strict();

export const personClaimDecision = z.object({ version, note: text(200).optional() }).strict();

export const personClaimView = z.object({
  id: z.number(),
  /** the name as the requester typed it */
  name: z.string(),
  /** the requesting organization and the membership it asks for */
  orgId: z.number(),
  orgName: z.string(),
  role: membershipRole,
  roleLabel: z.string(),
  status: personClaimStatus,
  statusLabel: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  version: z.number(),
  /** the record, only for the keeping side (and for the requester once approved) */
  person: z
    .object({ id: z.number(), name: z.string(), idNumber: z.string(), orgName: z.string() })
    .nullable(),
  requestedBy: z.string().nullable(),
  abilities: z.object({ approve: z.boolean(), reject: z.boolean() }),
});

export type PersonClaimView = z.infer<typeof personClaimView>;
export type PersonClaimListQuery = z.infer<typeof personClaimListQuery>;
