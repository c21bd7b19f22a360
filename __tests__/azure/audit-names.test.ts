// What an Azure audit record calls its IDs, read for the records alone with the real SDK clients
// against the emulated ARM and Graph: a resource group by the name its scope holds, a subscription
// by its display name, principals given by object ID through one `directoryObjects/getByIds` per
// 1,000. The file's one credential signs in to Graph with Directory.Read.All (getByIds' permission);
// an identity without it is named by the collections' queries (__tests__/e2e/audit-log.test.ts).
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { azureRecordNamer } from '../../src/azure/audit-names.js';
import type { AuditRecord } from '../../src/engine/audit/record.js';
import { emulatedArm, SCOPE, SUB } from '../harness/emulated-arm.js';
import { signedInSession } from '../harness/arm-driver.js';

const arm = emulatedArm();
beforeEach(() => {
  arm.az.config.graphRoles = ['Directory.Read.All'];
});

/** A name its owner chose: a workflow command and markup, as data. */
const HOSTILE = '::warning::pwned\n<b>ops</b>';

const record = (principalId: string, scope: string): AuditRecord => ({
  version: 1,
  n: 2,
  time: '2026-11-26T09:00:00.000Z',
  step: 'main',
  operation: 'assign',
  change: 'grant',
  cloud: 'azure',
  principal: { id: principalId, type: 'User' },
  role: {
    id: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
    name: 'Reader',
  },
  target: { id: scope },
  status: 'FAILED',
  run: {},
});

function namer(notices: string[] = []) {
  const plan = arm.plan({ principal: '00000000-0000-4000-8000-000000000001', target: SCOPE, role: 'Reader' });
  const { session } = signedInSession(arm, plan);
  return { session, names: azureRecordNamer(session, (n) => notices.push(n), { graph: true }) };
}

describe('names of an Azure record', () => {
  it('name principals given by object ID with one getByIds for every record of a batch', async () => {
    const users = Array.from({ length: 30 }, (_, i) =>
      arm.az.addUser({ userPrincipalName: `user${i}@contoso.com` }),
    );
    const ops = arm.az.addGroup({ displayName: HOSTILE });
    const { session, names } = namer();
    const byCollection = jest.spyOn(session.directory, 'namesOf');
    const named = await Promise.all(
      [...users.map((u) => u.id), ops.id].map((id) => names.namesOf(record(id, SCOPE))),
    );
    expect(named.map((n) => n.principal)).toEqual([...users.map((u) => u.userPrincipalName), HOSTILE]);
    expect(session.directory.graphRequests).toBe(1);
    expect(byCollection).not.toHaveBeenCalled();
  });

  it('name a resource group by its scope, a subscription by its display name, read once', async () => {
    const { names } = namer();
    const subscription = `/subscriptions/${SUB}`;
    expect(await names.namesOf({ ...record('x', SCOPE), principal: { id: 'x', name: 'n' } })).toEqual({
      target: 'rg-app',
    });
    const both = await Promise.all(
      [subscription, subscription].map((s) =>
        names.namesOf({ ...record('x', s), principal: { id: 'x', name: 'n' } }),
      ),
    );
    expect(both).toEqual([{ target: 'Azure subscription 1' }, { target: 'Azure subscription 1' }]);
    expect(arm.requests().filter((r) => r === `GET /subscriptions/${SUB}`)).toHaveLength(1);
  });

  it('leave a subscription by ID when ARM refuses its read, saying once what to grant', async () => {
    const notices: string[] = [];
    const { names } = namer(notices);
    const unknown = '/subscriptions/99999999-9999-4999-8999-999999999999';
    const named = await names.namesOf({ ...record('x', unknown), principal: { id: 'x', name: 'n' } });
    expect(named).toEqual({});
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^audit-log: the records name some subscriptions by ID alone/);
  });

  it('name a role given by its definition ID (a sweep’s revoke) from its subscription’s role definitions, one list for every record', async () => {
    const { names } = namer();
    const byId = (guid: string) => ({
      ...record('x', SCOPE),
      principal: { id: 'x', name: 'n' },
      target: { id: SCOPE, name: 'rg-app' },
      role: { id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}` },
    });
    const named = await Promise.all(
      ['acdd72a7-3385-48ef-bd42-f606fba81ae7', 'b24988ac-6180-42a0-ab88-20f7382dd24c'].map((g) =>
        names.namesOf(byId(g)),
      ),
    );
    expect(named).toEqual([{ role: 'Reader' }, { role: 'Contributor' }]);
    expect(arm.requests().filter((r) => r.includes('/roleDefinitions') && r.startsWith('GET'))).toHaveLength(
      1,
    );
  });
});
