// The report's usage columns and what it says of the evidence (src/operations/report/access-usage.ts):
// the rows joined with the sign-ins read; the evidence complete only when nothing was left unread;
// a cloud that logs no per-grant use says `unknown` on every row, and a row whose kind it logs no
// use of (Azure's active assignments) says `unknown` whatever was read; a hostile member name stays text.
import { describe, expect, it } from '@jest/globals';
import { accessRows } from '../../../src/operations/report/access-rows.js';
import { usageRows, withUsage } from '../../../src/operations/report/access-usage.js';
import { CURRENT_MEMBERS } from '../../../src/core/usage/last-used.js';
import { unloggedUse } from '../../../src/azure/eligible/usage.js';
import { reportCsv } from '../../../src/operations/report/access-files.js';
import type { UsageRead } from '../../../src/engine/run/access-reader.js';
import { held, heldReader, RUN } from './held-rows.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const request = { source: { kind: 'lookup-events' as const }, unusedAfterMs: 90 * DAY };
const read = (fields: Partial<UsageRead> = {}): UsageRead => ({
  signIns: [],
  notUses: {},
  since: NOW - 90 * DAY,
  regions: ['us-east-1'],
  gaps: [],
  pages: 1,
  members: new Map(),
  notes: [],
  ...fields,
});

/** A grant made before the history read: old enough to be unused over the whole window. */
const OLD = { granted: { before: '2026-03-03T00:00:00Z' } };

describe('usage rows', () => {
  const rows = accessRows('aws', [held(OLD, 'u-1', 'alice'), held(OLD, 'u-2', 'bob')], RUN);

  it("gives each row its last use, matched by the set's current name, and says the evidence complete", () => {
    const { rows: used, ending } = usageRows(
      rows,
      read({
        signIns: [
          { eventId: 'e-1', at: NOW - DAY, userId: 'u-1', accountId: '111111111111', setName: 'ReadOnly' },
        ],
      }),
      request,
      NOW,
    );
    expect(used.map((r) => r.lastUsed)).toEqual(['2026-05-31T00:00:00Z', 'none since 2026-03-03T00:00:00Z']);
    expect(ending.complete).toBe(true);
    expect(ending.lines.join('\n')).toMatch(/current names/);
    expect(ending.lines.join('\n')).toMatch(/1 row\(s\) used, 1 none since/);
    expect(ending.warnings).toEqual([]);
    const csv = reportCsv('aws', used, 'covered', '2026-06-01T00:00:00Z');
    expect(csv.split('\r\n')[0]).toMatch(/"?live"?,lastUsed,lastUsedEvent,lastUsedBy,usedBy$/);
  });

  it('a gap makes the evidence incomplete, warned, and its words escaped in the summary', () => {
    const { ending } = usageRows(
      rows,
      read({ gaps: ['eu-west-1 was not read: <b>denied</b>'] }),
      request,
      NOW,
    );
    expect(ending.complete).toBe(false);
    expect(ending.warnings[0]).toMatch(/evidence-complete: false.*eu-west-1 was not read/);
    expect(ending.summaryHtml).toContain('&lt;b&gt;denied&lt;/b&gt;');
    expect(ending.summaryHtml).not.toContain('<b>denied');
  });

  it('sign-ins not read at all (a failed query) leave every row unknown, never none since', () => {
    const why = 'the Athena query q-1 ended FAILED: HIVE_BAD_DATA';
    const { rows: used, ending } = usageRows(rows, read({ gaps: [why], unread: why }), request, NOW);
    expect(used.map((r) => r.lastUsed)).toEqual([
      'unknown (the sign-ins were not read)',
      'unknown (the sign-ins were not read)',
    ]);
    expect(ending.complete).toBe(false);
    expect(ending.warnings[0]).toMatch(/evidence-complete: false.*ended FAILED: HIVE_BAD_DATA/);
  });

  it('without last-used the rows are left as they are', async () => {
    const left = await withUsage(undefined, {}, [], rows, () => undefined, NOW);
    expect(left.ending).toBeUndefined();
    expect(left.rows[0]).not.toHaveProperty('lastUsed');
  });
});

describe('a cloud that logs no per-grant use', () => {
  it('says unknown on every row, and the evidence is not complete', async () => {
    const rows = accessRows('azure', [heldReader('p-1')], RUN);
    const { rows: used, ending } = await withUsage(request, {}, [], rows, () => undefined, NOW);
    expect(used[0]).toMatchObject({ lastUsed: 'unknown (Azure logs no per-grant use)', lastUsedEvent: null });
    expect(ending?.complete).toBe(false);
  });
});

describe('a row whose use the cloud does not log, beside rows it does (Azure)', () => {
  const eligible = heldReader('p-1', { kind: 'azure-pim-eligible' });
  const active = heldReader('p-1');
  const rows = accessRows('azure', [eligible, active], RUN);

  it('the eligibility takes its activation, the active assignment says unknown though the same principal, role and target were activated', () => {
    const { rows: used, ending } = usageRows(
      rows,
      read({
        signIns: [{ eventId: 'r-1', at: NOW - DAY, userId: 'p-1', accountId: 'TARGET-1', setName: 'ROLE-1' }],
        setNames: [{ id: 'ROLE-1', name: 'ROLE-1' }],
        regions: [],
        evidence: "PIM's `SelfActivate` requests",
        unlogged: unloggedUse,
      }),
      request,
      NOW,
    );
    const byKind = Object.fromEntries(used.map((r) => [r.kind, r.lastUsed]));
    expect(byKind).toEqual({
      'azure-pim-eligible': '2026-05-31T00:00:00Z',
      'azure-role-assignment': 'unknown (Azure logs no use of an active role assignment)',
    });
    // An unknown row does not make the evidence incomplete: it is never called unused.
    expect(ending.complete).toBe(true);
    expect(ending.lines.join('\n')).toMatch(
      /1 row\(s\) used, 0 none since [^,]+, 0 too new to tell, 1 unknown;/,
    );
    expect(ending.lines.join('\n')).toMatch(/evidence complete: since [\dT:-]+Z$/m);
    expect(ending.summaryHtml).toContain('Last used (PIM&#39;s <code>SelfActivate</code> requests since');
  });

  it("a group's eligibility is used by a member's activation through it, and so is that member's row through the group", () => {
    const group = heldReader('g-1', {
      kind: 'azure-pim-eligible',
      principal: { id: 'g-1', kind: 'group' },
      granted: { at: '2025-01-01T00:00:00Z' },
    });
    const members = new Map([
      [
        'g-1',
        [
          { id: 'p-2', name: 'bob', kind: 'user' as const },
          { id: 'p-3', name: 'carol', kind: 'user' as const },
        ],
      ],
    ]);
    const withMembers = accessRows('azure', [group], RUN, members);
    const through = { accountId: 'TARGET-1', setName: 'ROLE-1', through: 'g-1' };
    const { rows: used } = usageRows(
      withMembers,
      read({
        signIns: [{ eventId: 'r-2', at: NOW - DAY, userId: 'p-2', ...through }],
        setNames: [{ id: 'ROLE-1', name: 'ROLE-1' }],
        members,
        unlogged: unloggedUse,
      }),
      request,
      NOW,
    );
    const byPrincipal = Object.fromEntries(used.map((r) => [r.principalId, r]));
    expect(byPrincipal['g-1']).toMatchObject({
      lastUsed: '2026-05-31T00:00:00Z',
      lastUsedEvent: 'r-2',
      lastUsedBy: 'bob',
      usedBy: 1,
    });
    expect(byPrincipal['p-2']).toMatchObject({ lastUsed: '2026-05-31T00:00:00Z', viaGroupId: 'g-1' });
    expect(byPrincipal['p-3']!.lastUsed).toMatch(/^none since /);
  });

  it("says once, plainly, that a group's usedBy counts its current members, and only where a group's was counted", () => {
    const group = heldReader('g-1', { kind: 'azure-pim-eligible', principal: { id: 'g-1', kind: 'group' } });
    const members = new Map([['g-1', [{ id: 'p-2', kind: 'user' as const }]]]);
    const counted = usageRows(accessRows('azure', [group], RUN), read({ members }), request, NOW).ending;
    expect(counted.summaryHtml.match(/current members/g)).toHaveLength(1);
    expect(counted.summaryHtml).toContain(
      'Used by (a group&#39;s row) is counted from each group&#39;s current members, as the step read them, not its members at each use&#39;s time.',
    );
    expect(counted.lines).toContain(`last used: ${CURRENT_MEMBERS}`);
    // A group whose members were not read counted none; a user's row has no usedBy.
    const unread = usageRows(accessRows('azure', [group], RUN), read(), request, NOW).ending;
    const users = usageRows(
      accessRows('azure', [heldReader('p-1', { kind: 'azure-pim-eligible' })], RUN),
      read(),
      request,
      NOW,
    ).ending;
    for (const ending of [unread, users]) {
      expect(ending.summaryHtml).not.toContain('current members');
      expect(ending.lines.join('\n')).not.toContain('current members');
    }
  });

  it("PIM for groups' memberships say unknown where no section read them", () => {
    expect(unloggedUse({ kind: 'azure-group-eligible', principalKind: 'user', viaGroupId: null })).toBe(
      'PIM for groups activations are not read',
    );
  });
});
