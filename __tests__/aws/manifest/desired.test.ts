import { describe, expect, it } from '@jest/globals';
import { desiredOfEntries, type ResolvedEntry } from '../../../src/aws/manifest/desired.js';
import type { AwsManifestEntry } from '../../../src/core/manifest/types.js';

const located = <T>(written: string, value: T, line: number) => ({ written, value, line });
const accounts = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => String(100000000000 + from + i));

/** An entry of `principals` × `roles` × one OU target, resolved to IDs and the OU's accounts. */
function resolvedEntry(
  index: number,
  principals: number,
  roles: number,
  ouAccounts: string[],
): ResolvedEntry {
  const entry: AwsManifestEntry = {
    path: `aws.assignments[${index}]`,
    line: 5 + index * 4,
    principalType: 'GROUP',
    principals: Array.from({ length: principals }, (_, i) =>
      located(`team-${i}`, { kind: 'name' as const, name: `team-${i}` }, 6),
    ),
    roles: Array.from({ length: roles }, (_, i) =>
      located(`PS${i}`, { kind: 'name' as const, name: `PS${i}` }, 7),
    ),
    targets: [located('Root/Workloads', { kind: 'path' as const, names: ['Workloads'] }, 8)],
  };
  return {
    entry,
    principals: entry.principals.map((_, i) => `g-${i}`),
    roles: entry.roles.map((_, i) => `arn:aws:sso:::permissionSet/ssoins-1/ps-${i}`),
    targets: [ouAccounts],
  };
}

describe('an entry multiplied out by its OU accounts is counted before it is built', () => {
  it('10 groups × 10 permission sets × an OU of 5,000 accounts: one problem naming the entry and the limit, nothing built', () => {
    let built = 0;
    const { desired, problem } = desiredOfEntries(
      [resolvedEntry(0, 10, 10, accounts(5_000))],
      () => {
        built++;
        return true;
      },
      new Map(),
    );
    // Not one assignment was made of the 500,000: the count alone decided.
    expect(built).toBe(0);
    expect(desired).toEqual([]);
    expect(problem).toEqual({
      line: 5,
      message:
        '`aws.assignments[0]`: 10 principal(s) × 10 role(s) × 5000 account(s) (OU targets counted by their accounts) bring `aws.assignments` to 500000 assignments; at most 20000 fit in one manifest section',
      fix: 'split the manifest, or list fewer values in the entry',
    });
  });

  it('the entry that crosses the limit is named, after entries within it', () => {
    const { problem } = desiredOfEntries(
      [resolvedEntry(0, 10, 10, accounts(150)), resolvedEntry(1, 10, 10, accounts(60, 150))],
      () => true,
      new Map(),
    );
    expect(problem?.line).toBe(9);
    expect(problem?.message).toMatch(/^`aws.assignments\[1\]`: .* to 21000 assignments/);
  });

  it('within the limit: every principal × permission set × account, leaving out names that were not found', () => {
    const entry = resolvedEntry(0, 2, 1, accounts(3));
    entry.principals[1] = undefined;
    const names = new Map<string, string>();
    const { desired, problem } = desiredOfEntries([entry], (_, account) => account !== accounts(1)[0], names);
    expect(problem).toBeUndefined();
    expect(desired.map((d) => [d.principalId, d.targetId, d.principalType, d.managed, d.line])).toEqual([
      ['g-0', '100000000000', 'GROUP', false, 5],
      ['g-0', '100000000001', 'GROUP', true, 5],
      ['g-0', '100000000002', 'GROUP', true, 5],
    ]);
    expect(desired[0]!.written).toEqual({ principal: 'team-0', role: 'PS0', target: '100000000000' });
    expect(names.get('g-0')).toBe('team-0');
  });
});
