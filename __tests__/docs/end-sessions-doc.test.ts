// What the docs say of `end-sessions`, compared with the code: the outcomes a revoke's line ends
// with (docs/ephemeral-access.md, "What ends when", the one place that lists them) are the four
// core/permission-sets/session-fence-results.ts writes; the permissions a fence needs are one list (docs/aws-setup.md),
// which the input reference links rather than repeating it.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { effectWordsOf } from '../../src/core/output/effects.js';
import {
  fenceFields,
  type SessionFenceFields,
} from '../../src/core/permission-sets/session-fence-results.js';
import type { GrantResult } from '../../src/core/grant-result.js';
import { grantResult } from '../harness/grant-result.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** A Markdown section's text: from its heading to the next heading of its level or above. */
function section(doc: string, heading: string): string {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const level = heading.match(/^#+/)![0];
  const rest = doc.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return end < 0 ? rest : rest.slice(0, end);
}

const ended = { account: '111111111111', before: '2025-01-01T14:05:02Z', until: '2025-01-01T15:20:00Z' };
const revoke = (fence: SessionFenceFields, o: Partial<GrantResult> = {}) =>
  grantResult({
    operation: 'revoke',
    change: 'delete',
    before: 'present',
    after: 'absent',
    ...o,
    ...fenceFields(fence),
  });

/** What a revoke's line gains from its fence, in each of the ways a fence ends. */
const OUTCOMES = [
  revoke({ sessionsEnded: ended }),
  revoke(
    { sessionsEnded: ended },
    { resolved: { cloud: 'aws', principalType: 'GROUP' } as GrantResult['resolved'] },
  ),
  revoke({ sessionsEnded: { ...ended, how: 'role removed' } }),
  revoke({ sessionsLiveUntil: '2025-01-01T15:05:02Z', fenceError: 'the fence was not written' }),
].map(effectWordsOf);

describe('docs/ephemeral-access.md, what a revoke says of the sessions it ended', () => {
  const text = section(read('docs/ephemeral-access.md'), '## What ends when');

  it('lists the four outcomes a revoke’s line ends with, as the code writes them', () => {
    const listed = [...text.matchAll(/^ {2}- `(; [^`]+)`/gm)].map((m) => m[1]!);
    expect(new Set(OUTCOMES).size).toBe(4);
    expect(listed).toEqual(OUTCOMES);
  });
});

describe('the permissions `end-sessions` needs: one list', () => {
  const setup = section(read('docs/aws-setup.md'), '## Ending the sessions a revoke leaves: session fences');
  const reference = section(read('docs/inputs-and-outputs.md'), '### `end-sessions`');

  it('are listed in docs/aws-setup.md, every call a fence makes', () => {
    const listed = new Set([...setup.matchAll(/`sso:(\w+)`/g)].map((m) => m[1]!));
    for (const call of [
      'DescribePermissionSet',
      'ListTagsForResource',
      'ListAccountsForProvisionedPermissionSet',
      'GetInlinePolicyForPermissionSet',
      'PutInlinePolicyToPermissionSet',
      'DeleteInlinePolicyFromPermissionSet',
      'ProvisionPermissionSet',
      'DescribePermissionSetProvisioningStatus',
    ])
      expect(listed).toContain(call);
  });

  it('are linked from the input reference, which lists none of its own, nor the outcomes', () => {
    expect(reference).toContain('(aws-setup.md#ending-the-sessions-a-revoke-leaves-session-fences)');
    expect(reference).toContain('(ephemeral-access.md#what-ends-when)');
    expect(reference).not.toMatch(/`sso:/);
  });
});
