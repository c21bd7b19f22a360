// Which rows `prune: pull-request` removes (src/operations/report/prune-rows.ts), over rows the
// report's own join gave their last use: only a manifest's row nobody used for the window, a
// group's only when no member did; never a used row, one too new to tell, an unknown one, one whose
// set is tagged `cloud-access:never-prune` = `true` or whose tags were not read, nor anything when
// the evidence is incomplete. Unused rows outside the manifest are candidates, never pruned.
import { describe, expect, it } from '@jest/globals';
import { accessRows, type AccessRow } from '../../../src/operations/report/access-rows.js';
import { usageRows, withUsage } from '../../../src/operations/report/access-usage.js';
import {
  neverPruned,
  pruneCandidates,
  pruneChoice,
  type SetTag,
} from '../../../src/operations/report/prune-rows.js';
import type { HeldAssignment, UsageRead } from '../../../src/engine/run/access-reader.js';
import { held, heldReader, RUN } from './held-rows.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const request = { source: { kind: 'lookup-events' as const }, unusedAfterMs: 90 * DAY };
const inManifest = (line: number) => ({ manifest: { path: 'access.yml', line } });
const old = { granted: { at: '2025-01-01T00:00:00Z' } };
const signIn = (userId: string, accountId = '111111111111', setName = 'ReadOnly') => ({
  eventId: `e-${userId}`,
  at: NOW - 3 * DAY,
  userId,
  accountId,
  setName,
});
const group = (id: string, name: string, more: Partial<HeldAssignment> = {}) =>
  held({ ...inManifest(20), ...old, principal: { id, name, kind: 'group' }, ...more });

/** A read of no sign-in, covering the whole window in one Region. */
function emptyRead(): UsageRead {
  return {
    signIns: [],
    notUses: {},
    since: NOW - 90 * DAY,
    regions: ['us-east-1'],
    gaps: [],
    pages: 1,
    members: new Map(),
    notes: [],
  };
}

/** The rows as a report with `last-used: true` gives them, joined with `signIns`. */
function usedRows(
  assignments: HeldAssignment[],
  fields: Partial<UsageRead> = {},
): { rows: AccessRow[]; complete: boolean } {
  const read: UsageRead = { ...emptyRead(), ...fields };
  const { rows, ending } = usageRows(accessRows('aws', assignments, RUN), read, request, NOW);
  return { rows, complete: ending.complete };
}

const tagsOf = (rows: AccessRow[], tags: SetTag[] = []) =>
  new Map(pruneCandidates(rows).map((r) => [r.roleId, tags]));
const names = (rows: readonly AccessRow[]) => rows.map((r) => r.principalName);
const keptWhy = (choice: ReturnType<typeof pruneChoice>, name: string) =>
  choice.kept.find((k) => k.row.principalName === name)?.why;

describe('the rows a prune removes', () => {
  it('removes an unused manifest row, and keeps a used one and one too new to tell', () => {
    const { rows, complete } = usedRows(
      [
        held({ ...inManifest(4), ...old }, 'u-alice', 'alice'),
        held({ ...inManifest(8), ...old }, 'u-bob', 'bob'),
        held(
          { ...inManifest(12), granted: { at: new Date(NOW - 10 * DAY).toISOString() } },
          'u-carol',
          'carol',
        ),
      ],
      { signIns: [signIn('u-alice')] },
    );
    const choice = pruneChoice(rows, { complete, setTags: tagsOf(rows) });
    expect(names(choice.pruned)).toEqual(['bob']);
    expect(keptWhy(choice, 'alice')).toMatch(/^used 2026-05-29T00:00:00Z$/);
    expect(keptWhy(choice, 'carol')).toBe('too new to tell');
  });

  it("removes a group's row only when no member used it", () => {
    const members = new Map([
      ['g-auditors', [{ id: 'u-eve', kind: 'user' as const, name: 'eve' }]],
      [
        'g-platform',
        [
          { id: 'u-frank', kind: 'user' as const, name: 'frank' },
          { id: 'u-gina', kind: 'user' as const, name: 'gina' },
        ],
      ],
    ]);
    const { rows, complete } = usedRows([group('g-auditors', 'Auditors'), group('g-platform', 'Platform')], {
      members,
      signIns: [signIn('u-gina')],
    });
    const choice = pruneChoice(rows, { complete, setTags: tagsOf(rows) });
    expect(names(choice.pruned)).toEqual(['Auditors']);
    expect(keptWhy(choice, 'Platform')).toMatch(/^used /);
  });

  it("keeps a group's row whose members were not read: unknown is never a delete", () => {
    const { rows, complete } = usedRows([group('g-auditors', 'Auditors')]);
    expect(rows[0]!.lastUsed).toMatch(/^unknown/);
    const choice = pruneChoice(rows, { complete, setTags: tagsOf(rows) });
    expect(choice.pruned).toEqual([]);
    expect(keptWhy(choice, 'Auditors')).toMatch(/^unknown/);
  });

  it('keeps the rows of a set tagged cloud-access:never-prune = true, whatever the case', () => {
    const { rows, complete } = usedRows([held({ ...inManifest(4), ...old }, 'u-bob', 'bob')]);
    for (const value of ['true', 'True', ' TRUE ']) {
      const choice = pruneChoice(rows, {
        complete,
        setTags: tagsOf(rows, [{ key: 'cloud-access:never-prune', value }]),
      });
      expect(choice.pruned).toEqual([]);
      expect(keptWhy(choice, 'bob')).toContain('tagged `cloud-access:never-prune` = `true`');
    }
    expect(neverPruned([{ key: 'cloud-access:never-prune', value: 'false' }])).toBe(false);
    expect(neverPruned([{ key: 'Cloud-Access:never-prune', value: 'true' }])).toBe(false);
  });

  it("keeps a row whose set's tags were not read, or not asked for", () => {
    const { rows, complete } = usedRows([held({ ...inManifest(4), ...old }, 'u-bob', 'bob')]);
    const denied = pruneChoice(rows, {
      complete,
      setTags: new Map([[rows[0]!.roleId, 'ListTagsForResource was denied']]),
    });
    expect(denied.pruned).toEqual([]);
    expect(keptWhy(denied, 'bob')).toContain('ListTagsForResource was denied');
    expect(pruneChoice(rows, { complete, setTags: new Map() }).pruned).toEqual([]);
  });

  it('removes nothing, and lists no candidate, when the evidence is incomplete', () => {
    const { rows, complete } = usedRows(
      [held({ ...inManifest(4), ...old }, 'u-bob', 'bob'), held(old, 'u-erin', 'erin')],
      { gaps: ['eu-west-1 was not read'] },
    );
    expect(complete).toBe(false);
    const choice = pruneChoice(rows, { complete, setTags: tagsOf(rows) });
    expect(choice.pruned).toEqual([]);
    expect(choice.outside).toEqual([]);
    expect(keptWhy(choice, 'bob')).toBe('the evidence is incomplete');
  });

  it('lists unused rows outside the manifest as candidates, but not a claimed one, which ends by itself', () => {
    const ephemeral = { live: { kind: 'ephemeral' as const, until: NOW + DAY, reason: 'its run is going' } };
    const { rows, complete } = usedRows([
      held(old, 'u-erin', 'erin'),
      held({ ...old, verdict: ephemeral, target: { id: '222222222222' } }, 'u-ivan', 'ivan'),
    ]);
    const choice = pruneChoice(rows, { complete, setTags: new Map() });
    expect(choice.pruned).toEqual([]);
    expect(names(choice.outside)).toEqual(['erin']);
  });

  it("prunes a group's row, never its members' rows (expand-groups)", () => {
    const members = new Map([['g-auditors', [{ id: 'u-eve', kind: 'user' as const, name: 'eve' }]]]);
    const assignments = [group('g-auditors', 'Auditors')];
    const rows = accessRows('aws', assignments, RUN, members);
    expect(rows).toHaveLength(2);
    const joined = usageRows(rows, { ...emptyRead(), members }, request, NOW);
    const choice = pruneChoice(joined.rows, { complete: true, setTags: tagsOf(joined.rows) });
    expect(choice.pruned.map((r) => [r.principalName, r.viaGroupId])).toEqual([['Auditors', null]]);
    expect(choice.outside).toEqual([]);
  });

  it('prunes no Azure row: every one says unknown, and the evidence is incomplete', async () => {
    const assignments = [heldReader('p-1', { ...inManifest(4), ...old })];
    const { rows, ending } = await withUsage(
      request,
      {},
      assignments,
      accessRows('azure', assignments, RUN),
      () => {},
      NOW,
    );
    const choice = pruneChoice(rows, { complete: ending!.complete, setTags: tagsOf(rows) });
    expect(choice.pruned).toEqual([]);
    expect(pruneCandidates(rows)).toEqual([]);
  });
});
