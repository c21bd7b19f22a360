// A kind of a third shape with ordered writes (a test-only Azure role definition: no principal,
// created before the assignments that name it, deleted after their deletes) goes through a
// reconcile's apply and a revoke against fakes, by its own room (__tests__/fixtures/kinds/
// role-definition/) and one registration: the fakes' call log proves the order its module
// declares, on both paths, and no source file had to learn of it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';
import { assignmentKey } from '../../../src/core/kinds/index.js';
import type {
  CurrentAssignment,
  DesiredAssignment,
  ReconcilePlan,
} from '../../../src/core/plan/assignment-diff.js';
import type { AzureGrant, AzureResolvedIds } from '../../../src/core/types.js';
import { emptyStats, type GrantDriver } from '../../../src/engine/calls/driver.js';
import type { KindWriter } from '../../../src/engine/calls/write-plan.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import type { PlannedWrite } from '../../../src/engine/run/planned-writes.js';
import type { SectionPlan } from '../../../src/engine/run/reconciler.js';
import { runGrants, type GrantWrite } from '../../../src/engine/run/run-grants.js';
import { applyPlan } from '../../../src/operations/reconcile/reconcile-apply.js';
import { ROOT, sourceFiles } from '../../docs/source-files.js';
import { ROLE_DEFINITION } from '../../fixtures/kinds/role-definition/kind.js';
import {
  definitionGoesWithItsAssignment,
  definitionWriter,
  type DefinitionItem,
} from '../../fixtures/kinds/role-definition/writer.js';

const ROOM = '__tests__/fixtures/kinds/role-definition';
const SCOPE = parseAzureScope('/subscriptions/00000000-0000-0000-0000-000000000001') as AzureScope;
const roleId = (name: string) => `${SCOPE.scope}/providers/Microsoft.Authorization/roleDefinitions/${name}`;
const NEW_ROLE: DefinitionItem = { name: 'deployer', id: roleId('11111111-0000-0000-0000-00000000000d') };
const OLD_ROLE: DefinitionItem = { name: 'legacy', id: roleId('22222222-0000-0000-0000-00000000000e') };
const ALICE = 'aaaaaaaa-0000-0000-0000-000000000001';
const BOB = 'bbbbbbbb-0000-0000-0000-000000000002';

/** A role assignments' driver that logs its writes by the role they name. */
function assignments(log: string[], effects?: GrantDriver['effects']): GrantDriver<AzureGrant> {
  return {
    cloud: 'azure',
    stats: emptyStats(),
    ...(effects ? { effects } : {}),
    prepare: async () => {},
    resolve: async (grant) => grant.resolved!,
    findExisting: async () => ({}),
    create: async (ids) => (log.push(`assignment create ${ids.roleId}`), { kind: 'done', changed: true }),
    remove: async (ids) => (log.push(`assignment delete ${ids.roleId}`), { kind: 'done', changed: true }),
    findOwnCreate: async () => ({ ownership: 'not-created', why: 'test' }),
  };
}

function grantOf(principalId: string, role: string): AzureGrant {
  const resolved: AzureResolvedIds = { cloud: 'azure', principalId, scope: SCOPE, roleId: role };
  return {
    cloud: 'azure',
    kind: 'azure-role-assignment',
    written: { principal: principalId, target: SCOPE.scope, role },
    principal: { kind: 'object', id: principalId, bare: true },
    scope: SCOPE,
    role: { kind: 'id', id: role },
    resolved,
  };
}

const place = (principalId: string, role: string) => {
  const parts = {
    principalId,
    principalType: 'User',
    roleId: role,
    targetId: SCOPE.scope,
    target: SCOPE.scope,
  };
  return {
    ...parts,
    kind: 'azure-role-assignment' as const,
    key: assignmentKey('azure-role-assignment', parts),
  };
};

const writeOf = (
  change: 'create' | 'delete',
  principalId: string,
  role: string,
  driver: GrantDriver,
): PlannedWrite => ({
  change,
  kind: 'azure-role-assignment',
  grant: grantOf(principalId, role) as PlannedWrite['grant'],
  driver,
  existing: change === 'create' ? undefined : {},
});

describe('a kind of a third shape, with ordered writes, through a reconcile', () => {
  it('its create before the assignment that names it (which takes the ID it answered), its delete after the assignments’ deletes', async () => {
    const log: string[] = [];
    const driver = assignments(log);
    const shown = { principal: 'alice', role: 'deployer', target: SCOPE.scope };
    const plan: ReconcilePlan<undefined, string> = {
      creates: [
        {
          ...place(ALICE, 'planned:deployer'),
          written: shown,
          line: 3,
          managed: true,
          settings: undefined,
        } as DesiredAssignment<undefined, string>,
      ],
      deletes: [{ ...place(BOB, OLD_ROLE.id), managed: true, shown } as CurrentAssignment<string>],
      claimed: [],
      unknown: [],
      updates: [],
      unchanged: [],
      unmanaged: [],
      managedNow: 2,
    };
    const definitions: SectionPlan = {
      counts: { name: 'roleDefinitions', counts: { create: 1, delete: 1 } },
      words: {
        noun: 'role definition',
        heading: 'Role definitions',
        columns: ['role definition', 'scope'],
        cells: (r) => [r.role, r.target],
      },
      lines: [],
      deletes: 1,
      problems: [],
      writes: [
        { kind: ROLE_DEFINITION, change: 'delete', item: OLD_ROLE },
        { kind: ROLE_DEFINITION, change: 'create', item: NEW_ROLE, key: 'deployer' },
      ],
      writer: () => definitionWriter(log) as KindWriter,
      preview: () => [],
    };
    const writes = {
      cloud: 'azure' as const,
      stats: emptyStats(),
      creates: [
        {
          ...writeOf('create', ALICE, 'planned:deployer', driver),
          needs: {
            of: [{ kind: ROLE_DEFINITION, change: 'create' as const, key: 'deployer' }],
            bind: ([id]: readonly (string | undefined)[]) => writeOf('create', ALICE, id!, driver),
            unmet: () => new Error('the role definition `deployer` was not created'),
          },
        },
      ],
      deletes: [writeOf('delete', BOB, OLD_ROLE.id, driver)],
      updates: [],
    };
    const applied = await applyPlan(
      plan,
      writes,
      [definitions],
      { wait: true, maxConcurrency: 4, deadline: new Deadline(30), dryRun: false, awaitCreate: false },
      () => {},
    );
    expect(applied.results.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    const at = (line: string) => {
      expect(log).toContain(line);
      return log.indexOf(line);
    };
    expect(at('definition create deployer')).toBeLessThan(at(`assignment create ${NEW_ROLE.id}`));
    expect(at(`assignment delete ${OLD_ROLE.id}`)).toBeLessThan(at('definition delete legacy'));
  });
});

describe('a kind of a third shape, with ordered writes, through a revoke', () => {
  it('its effect on the role assignment’s delete runs after the delete, on a path that never names the kind', async () => {
    const log: string[] = [];
    const made = new Map([[NEW_ROLE.id, NEW_ROLE]]);
    const effect = definitionGoesWithItsAssignment(
      log,
      made,
      (w) => (w.item as GrantWrite<AzureGrant>).grant.resolved!.roleId,
    );
    const driver = assignments(log, [effect]);
    const results = await runGrants([grantOf(ALICE, NEW_ROLE.id), grantOf(BOB, OLD_ROLE.id)], driver, {
      operation: 'revoke',
      dryRun: false,
      wait: true,
      maxConcurrency: 4,
      deadline: new Deadline(30),
    });
    expect(results.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(log.indexOf(`assignment delete ${NEW_ROLE.id}`)).toBeLessThan(
      log.indexOf('definition delete deployer'),
    );
    // Only the definition the step made goes: the other assignment's is not its.
    expect(log.filter((l) => l.startsWith('definition'))).toEqual(['definition delete deployer']);
  });
});

describe('what the kind cost', () => {
  it('its room and one registration: no source file names it', () => {
    const room = readdirSync(join(ROOT, ROOM));
    expect(room.sort()).toEqual(['kind.ts', 'writer.ts']);
    const registrations = room.flatMap((file) =>
      readFileSync(join(ROOT, ROOM, file), 'utf8')
        .split('\n')
        .filter((line) => /registerKind</.test(line)),
    );
    expect(registrations).toHaveLength(1);
    // By its name: Azure's own words for role definitions are the role assignments' fields.
    const naming = sourceFiles('src', /\.ts$/).filter((file) =>
      readFileSync(join(ROOT, file), 'utf8').includes(ROLE_DEFINITION),
    );
    expect(naming).toEqual([]);
  });
});
