/**
 * 组织关系转接 (membership transfer) as data: the states, and one row per allowed transition
 * with the sides that may take it. A transfer is started by the sending organization, the
 * receiving organization or the person, and approved (or rejected) by the receiver.
 */

export const TRANSFER_STATUS = {
  pending: '待接收方审批',
  completed: '已转接',
  rejected: '已拒绝',
  cancelled: '已撤回',
} as const;
export type TransferStatus = keyof typeof TRANSFER_STATUS;

/** Who acts: the sending organization, the receiving organization, the person themself. */
export const TRANSFER_SIDES = { sender: '转出方', receiver: '接收方', person: '本人' } as const;
export type TransferSide = keyof typeof TRANSFER_SIDES;

export const TRANSFER_ACTIONS = {
  start: '发起转接',
  approve: '同意接收',
  reject: '拒绝接收',
  cancel: '撤回申请',
} as const;
export type TransferAction = keyof typeof TRANSFER_ACTIONS;

export interface TransferTransition {
  action: TransferAction;
  from: TransferStatus | null;
  to: TransferStatus;
  by: readonly TransferSide[];
  /** the note (reason) is required */
  noteRequired?: boolean;
}

export const TRANSFER_TRANSITIONS: readonly TransferTransition[] = [
  { action: 'start', from: null, to: 'pending', by: ['sender', 'receiver', 'person'] },
  { action: 'approve', from: 'pending', to: 'completed', by: ['receiver'] },
  { action: 'reject', from: 'pending', to: 'rejected', by: ['receiver'], noteRequired: true },
  { action: 'cancel', from: 'pending', to: 'cancelled', by: ['sender', 'person'] },
];

/** The transition an action takes from a state, or undefined when it is not allowed at all. */
export function transitionOf(
  from: TransferStatus | null,
  action: TransferAction,
): TransferTransition | undefined {
  return TRANSFER_TRANSITIONS.find((t) => t.from === from && t.action === action);
}

/** Whether one of `sides` may take `action` from `from`. */
export function mayTake(
  from: TransferStatus | null,
  action: TransferAction,
  sides: readonly TransferSide[],
): boolean {
  const t = transitionOf(from, action);
  return !!t && t.by.some((s) => sides.includes(s));
}

/** The actions a holder of `sides` may take on a transfer in state `from` (for the UI's abilities). */
export function actionsFor(from: TransferStatus, sides: readonly TransferSide[]): TransferAction[] {
  return TRANSFER_TRANSITIONS.filter((t) => t.from === from && t.by.some((s) => sides.includes(s))).map(
    (t) => t.action,
  );
}

export const isFinal = (s: TransferStatus): boolean => !TRANSFER_TRANSITIONS.some((t) => t.from === s);
