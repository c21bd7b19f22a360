// What a read of a group's PIM memberships keeps of Graph's answer: only the memberships of the
// group it asked about. An answer for group G that carries a membership of group H (a hostile or
// confused server) is not H's membership for anything the step does with G's read.
import { describe, expect, it } from '@jest/globals';
import type { GroupPim } from '../../../src/azure/graph/group-pim.js';
import { readGroupMemberships } from '../../../src/azure/graph/group-pim-reads.js';

const G = '11111111-1111-4111-8111-111111111111';
const H = '22222222-2222-4222-8222-222222222222';
const ALICE = '33333333-3333-4333-8333-333333333333';

/** A GroupPim whose batched queries all get `items`. */
const answering = (items: Record<string, unknown>[]) =>
  ({
    calls: {
      run: async (queries: { id: string }[]) => new Map(queries.map((q) => [q.id, { ok: true, items }])),
    },
  }) as unknown as GroupPim;

describe('a read of a group’s memberships', () => {
  it('keeps the memberships of the group it asked about and drops those Graph says are of another group', async () => {
    const membership = (groupId: string) => ({
      id: `m-${groupId}`,
      groupId,
      principalId: ALICE,
      accessId: 'member',
      startDateTime: '2026-11-27T00:00:00Z',
    });
    const read = await readGroupMemberships(answering([membership(G), membership(H)]), [G], 'active');
    const answer = read.get(G);
    expect(answer?.ok).toBe(true);
    expect(answer?.ok && answer.memberships.map((m) => m.groupId)).toEqual([G]);
  });
});
