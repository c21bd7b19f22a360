// A reconcile's step over an in-memory cloud, for the step's tests without a bundle or an emulator:
// IAM Identity Center's assignments of one managed permission set behind the Reconciler interface
// the AWS and Azure adapters implement, the manifest that asks for them, and the step's config.
import type { ConfigOf } from '../../../src/core/inputs/index.js';
import type { RunEvent } from '../../../src/core/check/events.js';
import type { ManifestText } from '../../../src/core/check/manifest.js';
import {
  type AssignmentKeyParts,
  type CurrentAssignment,
  type DesiredAssignment,
} from '../../../src/core/plan/assignment-diff.js';
import { assignmentKey, cloudKind } from '../../../src/core/kinds/index.js';
import { nameFields } from '../../../src/core/shown-names.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats, type GrantDriver } from '../../../src/engine/calls/driver.js';
import { type Reconciler } from '../../../src/engine/run/reconciler.js';
import type { PlannedWrite } from '../../../src/engine/run/planned-writes.js';
import type { ReconcileSources } from '../../../src/operations/reconcile/index.js';

export const MANIFEST = 'access/manifest.yml';
const MANIFEST_TEXT = `version: 1
aws:
  manages:
    permission-sets: [ReadOnly]
  assignments:
    - principal: alice
      role: ReadOnly
      target: '111111111111'
`;
export const PUSH: RunEvent = { eventName: 'push', tokenEndpoint: 'https://token.example' };

/** An assignment of the in-memory cloud: who has which permission set where. */
type Place = { principal: string; account: string };
const NAMES: Record<string, string> = {
  'u-alice': 'alice',
  'u-bob': 'bob',
  'u-carol': 'carol',
  PS: 'ReadOnly',
};

/**
 * IAM Identity Center's assignments of one managed permission set, behind the Reconciler seam: the
 * manifest wants `wanted`, the cloud holds `held`; creates of a principal in `failing` FAIL.
 */
export function inMemoryCloud(wanted: Place[], held: Place[], failing: string[] = []) {
  const store = new Map(held.map((p) => [`${p.principal}@${p.account}`, p]));
  const writes: string[] = [];
  const parts = (p: Place): AssignmentKeyParts & { target: string } => ({
    principalId: p.principal,
    principalType: 'USER',
    roleId: 'PS',
    targetId: p.account,
    target: p.account,
  });
  const writer: GrantDriver = {
    cloud: 'aws',
    stats: emptyStats(),
    prepare: async () => {},
    resolve: async () => {
      throw new Error('planned grants carry their IDs');
    },
    findExisting: async () => undefined,
    create: async (ids) => {
      const id = ids as { principalId: string; accountId: string };
      writes.push(`create ${id.principalId}@${id.accountId}`);
      if (failing.includes(id.principalId)) return { kind: 'failed', failureReason: 'ConflictException' };
      store.set(`${id.principalId}@${id.accountId}`, { principal: id.principalId, account: id.accountId });
      return { kind: 'done', changed: true, requestId: `req-${writes.length}` };
    },
    remove: async (ids) => {
      const id = ids as { principalId: string; accountId: string };
      writes.push(`delete ${id.principalId}@${id.accountId}`);
      store.delete(`${id.principalId}@${id.accountId}`);
      return { kind: 'done', changed: true, requestId: `req-${writes.length}` };
    },
    findOwnCreate: async () => ({ ownership: 'not-created', why: 'in memory' }),
  };
  const opened = { count: 0 };
  const reconciler: Reconciler<undefined, string> = {
    cloud: 'aws',
    stats: emptyStats(),
    prepare: async () => {},
    expand: async () => ({
      desired: wanted.map((p): DesiredAssignment<undefined, string> => ({
        ...parts(p),
        kind: 'aws-account-assignment' as const,
        key: assignmentKey('aws-account-assignment', parts(p)),
        written: { principal: NAMES[p.principal]!, role: 'ReadOnly', target: p.account },
        line: 6,
        managed: true,
        settings: undefined,
      })),
      problems: [],
      notes: [],
    }),
    readCurrent: async () => ({
      current: [...store.values()].map((p): CurrentAssignment<string> => ({
        ...parts(p),
        kind: 'aws-account-assignment' as const,
        key: assignmentKey('aws-account-assignment', parts(p)),
        managed: true,
        shown: { principal: p.principal, role: 'PS', target: p.account },
      })),
      read: { strategy: 'in memory', calls: 1, alternatives: [] },
    }),
    names: async () => ({
      nameOf: (p) => ({ principal: NAMES[p.principalId], role: NAMES[p.roleId] }),
      notes: [],
    }),
    writes: (creates, deletes) => {
      // As the adapters do: the grant is written as the plan shows it, with the names the plan read.
      const writeOf = (
        change: 'create' | 'delete',
        a: DesiredAssignment<undefined, string> | CurrentAssignment<string>,
      ): PlannedWrite => ({
        change,
        kind: a.kind,
        grant: {
          cloud: 'aws',
          kind: cloudKind('aws', a.kind),
          written: { principal: a.principalId, target: a.target, role: a.roleId, ...nameFields(a.names) },
          principal: { kind: 'id', id: a.principalId },
          accountId: a.target,
          permissionSet: { kind: 'arn', arn: a.roleId },
          resolved: {
            cloud: 'aws',
            principalId: a.principalId,
            principalType: 'USER',
            roleId: a.roleId,
            accountId: a.target,
          },
        },
        driver: writer,
        existing: change === 'create' ? undefined : {},
      });
      return {
        cloud: 'aws',
        stats: emptyStats(),
        creates: creates.map((c) => writeOf('create', c)),
        deletes: deletes.map((d) => writeOf('delete', d)),
        updates: [],
      };
    },
  };
  const read: string[] = [];
  const sources: ReconcileSources = {
    readManifest: async (path): Promise<ManifestText> => {
      read.push(path);
      return { path, text: MANIFEST_TEXT };
    },
    openReconciler: async () => {
      opened.count++;
      return { reconciler: reconciler as Reconciler, deadline: new Deadline(30) };
    },
  };
  return { sources, writes, store, opened, read };
}

/** The step's config: an AWS reconcile of MANIFEST, applied unless `dryRun`. */
export const config = (more: { dryRun?: boolean; maxDeletions?: number } = {}) =>
  ({
    cloud: 'aws',
    operation: 'reconcile',
    dryRun: more.dryRun ?? false,
    maxConcurrency: 10,
    roleToAssume: 'arn:aws:iam::123456789012:role/access-apply',
    instanceArn: undefined,
    run: { repository: 'octo-org/octo-repo' },
    reconcile: { manifest: MANIFEST, maxDeletions: more.maxDeletions ?? 10 },
  }) as unknown as ConfigOf<'reconcile'>;

export const alice = { principal: 'u-alice', account: '111111111111' };
export const bob = { principal: 'u-bob', account: '111111111111' };
export const carol = { principal: 'u-carol', account: '222222222222' };
