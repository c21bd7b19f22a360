// The accounts under a reviewers file's OUs: a long walk of a large organization says where it
// stands as every read does (a line 10 s in, then every 15 s), and an OU it could not read is
// warned of with the permissions that read it. On a clock the test moves.
import { describe, expect, it } from '@jest/globals';
import { CallActivity } from '../../../src/engine/calls/read-progress.js';
import { readOus } from '../../../src/operations/review/ou-accounts.js';
import type { UnitAccounts } from '../../../src/core/inputs/org-targets.js';
import { fakeClock } from '../../engine/calls/fake-clock.js';

function effects() {
  const info: string[] = [];
  const warnings: string[] = [];
  return {
    info,
    warnings,
    effects: { info: (l: string) => info.push(l), warning: (l: string) => warnings.push(l) },
  };
}

describe('a review’s read of the accounts under its OUs', () => {
  it('says where its calls stand 10 s in and every 15 s after, and nothing once read', async () => {
    const { clock, advance, pending } = fakeClock();
    const activity = new CallActivity(clock);
    const out = effects();
    let finish: (read: Map<string, UnitAccounts>) => void = () => undefined;
    const reading = readOus(
      ['ou-ab12-cdef3456'],
      { accountsUnder: () => new Promise((resolve) => (finish = resolve)) },
      out.effects,
      { activity, clock },
    );
    const call = activity.sent();
    advance(9_999);
    expect(out.info).toEqual([]);
    advance(1);
    call();
    advance(15_000);
    expect(out.info).toEqual([
      'still reading after 10 s (the accounts under 1 OU(s) of the reviewers file): 0 calls answered, 1 in flight, 0 queued; the oldest in flight for 10 s',
      'still reading after 25 s (the accounts under 1 OU(s) of the reviewers file): 1 calls answered, 0 in flight, 0 queued',
    ]);
    finish(new Map([['ou-ab12-cdef3456', { accounts: ['111111111111'], notActive: [] }]]));
    await reading;
    expect(pending()).toBe(0);
    expect(out.warnings).toEqual([]);
  });

  it('warns of an OU it could not read, naming the permissions that read it', async () => {
    const out = effects();
    const read = await readOus(
      ['ou-ab12-cdef3456'],
      { accountsUnder: async () => new Map([['ou-ab12-cdef3456', 'AccessDeniedException']]) },
      out.effects,
    );
    expect(read.get('ou-ab12-cdef3456')).toBe('AccessDeniedException');
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toContain('organizations:ListAccountsForParent');
  });

  it('reads nothing when the file names no OU, or the cloud has none', async () => {
    const out = effects();
    let asked = 0;
    const reader = { accountsUnder: async () => (asked++, new Map()) };
    expect((await readOus([], reader, out.effects)).size).toBe(0);
    expect((await readOus(['ou-ab12-cdef3456'], {}, out.effects)).size).toBe(0);
    expect(asked).toBe(0);
  });
});
