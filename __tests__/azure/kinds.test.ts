// The Azure kinds' table: each kind is written against the session it chose (ARM's, or Microsoft
// Graph's directory), and the table hands it that session, whatever the others chose.
import { describe, expect, it } from '@jest/globals';
import { AZURE_KINDS, REPORTED_KINDS, onSession, type AzureSessions } from '../../src/azure/kinds.js';
import type { ArmSession } from '../../src/azure/arm/session.js';
import type { Directory } from '../../src/azure/graph/directory.js';
import type { AzureSettings } from '../../src/core/inputs/index.js';
import type { AdapterDeps, GrantDriver } from '../../src/engine/calls/driver.js';
import { parseAzureScope, type AzureScope } from '../../src/core/azure-scope.js';

const sessions: AzureSessions = {
  arm: { name: 'arm' } as unknown as ArmSession,
  graph: { name: 'graph' } as unknown as Directory,
};
const driver = {} as GrantDriver;
const scope = parseAzureScope('/subscriptions/00000000-0000-4000-8000-000000000001') as AzureScope;

describe('a kind in the Azure table', () => {
  it('is handed the session it chose, in its driver, writer, reconcile reads and report read', async () => {
    const seen: unknown[] = [];
    const graphKind = onSession('graph', {
      driver: (_settings, directory: Directory) => (seen.push(directory), driver),
      reconcileWriter: (_settings, directory) => (seen.push(directory), driver),
      reconcileReads: {
        list: 'one membership list',
        current: async (directory) => (seen.push(directory), []),
        unread: () => 'not read',
        refusals: async (directory) => (seen.push(directory), []),
      },
      reportRead: {
        kind: 'azure-role-assignment',
        lists: [],
        read: async (directory) => (seen.push(directory), undefined),
        unread: () => false,
        said: () => undefined,
        shownAt: () => [],
        held: async (_reads, context) => (seen.push(context.session), { held: [], groups: [] }),
      },
    });
    const settings = {} as AzureSettings;
    graphKind.driver(settings, sessions, {} as AdapterDeps);
    graphKind.reconcileWriter!(settings as never, sessions, 'owner');
    await graphKind.reconcileReads!.current(sessions, [scope], {} as never);
    await graphKind.reconcileReads!.refusals(sessions, []);
    await graphKind.reportRead!.read(sessions, [scope], []);
    await graphKind.reportRead!.held(undefined, { session: sessions } as never);
    expect(graphKind.session).toBe('graph');
    expect(seen).toEqual(Array(6).fill(sessions.graph));
  });

  it('holds the kinds this action writes, role assignments over ARM and group memberships over Graph, and reads them for a report in the table’s order', () => {
    expect(Object.entries(AZURE_KINDS).map(([name, k]) => [name, k.session])).toEqual([
      ['azure-role-assignment', 'arm'],
      ['azure-pim-active', 'arm'],
      ['azure-pim-eligible', 'arm'],
      ['azure-group-active', 'graph'],
      ['azure-group-eligible', 'graph'],
    ]);
    expect(REPORTED_KINDS.map((k) => k.kind)).toEqual(['azure-role-assignment', 'azure-pim-eligible']);
  });
});
