// Domain types shared by the pure core, the engine and both cloud adapters.

export type Cloud = 'aws' | 'azure';
export type Operation = 'assign' | 'revoke' | 'provision';

/** Terminal statuses as both clouds report them; IN_PROGRESS means "not waited for" or "deadline passed". */
export type GrantStatus = 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';

/** One principal × target × role, as the user wrote it (names not resolved yet). */
export interface Grant {
  principal: string;
  target: string;
  role: string;
}

/** What a dry run would do, or what the step did. */
export type PlannedChange = 'create' | 'delete' | 'provision' | 'none';

export interface GrantResult {
  cloud: Cloud;
  operation: Operation;
  principal: string;
  target: string;
  role: string;
  status: GrantStatus;
  requestId?: string;
  failureReason?: string;
  /** The assignment was there before this step ran (assign), or was absent already (revoke). */
  alreadyExisted: boolean;
  changed: boolean;
  /** AWS: the resolved IDs; Azure: the role assignment resource ID. */
  assignmentId?: string;
  /** Whether the assignment existed before (`present`/`absent`) and after the step. */
  before: 'present' | 'absent' | 'unknown';
  after: 'present' | 'absent' | 'unknown';
  plan: PlannedChange;
  durationMs: number;
  /** Identifiers the post step needs to revoke this grant without resolving names again. */
  resolved?: ResolvedIds;
  /** What the log and summary should add, e.g. why revoke-on-exit leaves this grant alone. */
  note?: string;
  /** Extra per-grant detail (provision: accounts re-provisioned / current / failed). */
  detail?: Record<string, unknown>;
}

export interface ResolvedIds {
  principalId: string;
  targetId: string;
  roleId: string;
  /** Azure: the role assignment name (GUID) that was created. */
  name?: string;
}
