// A permission set's content as a reconcile compares it with its manifest: the action's live
// session fences are the set's own, not drift (its inline policy is compared without them), an
// expired one is planned `~ update: session fence expired` and provisioned to the accounts it
// named where the set is still provisioned, accounts a fence left off the latest version are
// provisioned with the reason `session fence in <account>`, and a statement that merely looks like
// a fence is compared as before.
import { describe, expect, it } from '@jest/globals';
import type { PermissionSetContent } from '../../../src/core/permission-sets/definition.js';
import { normalisedPolicy } from '../../../src/core/permission-sets/inline-policy.js';
import { planDefinedSet, type ReadSet } from '../../../src/core/permission-sets/plan.js';
import { planWords } from '../../../src/core/permission-sets/plan-words.js';
import { mergedFence } from '../../../src/core/permission-sets/fenced-policy.js';
import {
  fenceFor,
  fenceStatement,
  type SessionFence,
} from '../../../src/core/permission-sets/session-fence.js';
import { withoutFences } from '../../../src/core/permission-sets/set-fences.js';

const ARN = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
const OTHER = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-aaaaaaaaaaaaaaaa';
const ALICE = '0f5f8b2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const NOW = Date.parse('2026-11-27T14:00:00Z');
const HOUR = 3600;
const allow = { Effect: 'Allow', Action: 's3:Get*', Resource: '*' };

// A fence of a revoke half an hour ago (live) and one of yesterday (expired).
const live = fenceFor(ARN, '111111111111', NOW - 30 * 60_000, HOUR, [ALICE]);
const expired = fenceFor(ARN, '222222222222', NOW - 24 * 3600_000, HOUR);

const policyOf = (...statements: unknown[]) =>
  normalisedPolicy({ Version: '2012-10-17', Statement: statements });
const manifestPolicy = policyOf(allow);

const content = (inlinePolicy: string | undefined): PermissionSetContent => ({
  name: 'ReadOnly',
  description: undefined,
  sessionMinutes: 60,
  relayState: undefined,
  awsManagedPolicies: [],
  customerManagedPolicies: [],
  inlinePolicy,
  permissionsBoundary: undefined,
  tags: { 'cloud-access:manifest': 'octo-org/infra:access.yml' },
});

const blast = {
  accounts: ['111111111111', '222222222222', '333333333333'],
  principals: [{ type: 'GROUP' as const, shown: 'Deployers' }],
};

/** The set as read, its fences taken apart as the reconcile does. */
function readSet(inline: string | undefined, outdated: string[] = [], arn = ARN): ReadSet {
  const { content: compared, fences } = withoutFences(content(inline), arn, NOW);
  return { arn, content: compared, blast, outdated, fences };
}

const fenced = (...fences: SessionFence[]) => policyOf(allow, ...fences.map(fenceStatement));

describe('a set’s live session fence is part of the set, not drift', () => {
  it('the manifest’s inline policy is compared with the set’s policy minus its fences', () => {
    const { content: compared, fences } = withoutFences(content(fenced(live)), ARN, NOW);
    expect(compared.inlinePolicy).toBe(manifestPolicy);
    expect(fences).toEqual({ live: [live], expired: [] });
    expect(planDefinedSet(content(manifestPolicy), readSet(fenced(live)), { decision: 'own' })).toEqual([]);
  });

  it('a manifest that writes its one statement as an object is no drift once a fence made the set’s a list', () => {
    const oneObject = normalisedPolicy({ Version: '2012-10-17', Statement: allow });
    const { content: compared } = withoutFences(content(fenced(live)), ARN, NOW, oneObject);
    expect(compared.inlinePolicy).toBe(oneObject);
    expect(
      planDefinedSet(
        content(oneObject),
        { ...readSet(fenced(live)), content: compared },
        { decision: 'own' },
      ),
    ).toEqual([]);
  });

  it('a policy of nothing but fences is no inline policy to compare', () => {
    const onlyFence = policyOf(fenceStatement(live));
    expect(withoutFences(content(onlyFence), ARN, NOW).content.inlinePolicy).toBeUndefined();
    expect(planDefinedSet(content(undefined), readSet(onlyFence), { decision: 'own' })).toEqual([]);
  });

  it('a changed manifest policy plans the update with the live fence kept, named in the plan', () => {
    const wider = policyOf({ ...allow, Action: 's3:*' });
    const [update] = planDefinedSet(content(wider), readSet(fenced(live)), { decision: 'own' });
    expect(update).toMatchObject({ change: 'update', keptFences: [live] });
    const words = planWords(update!).join('\n');
    expect(words).toContain(`session fence in 111111111111 kept (live until ${live.expiresAt})`);
    expect(words).not.toMatch(/CloudAccessFence/);
  });

  it('a statement that merely looks like a fence (another set’s, or another shape) is compared as before', () => {
    const others = fenceStatement(fenceFor(OTHER, '111111111111', NOW, HOUR));
    const shaped = { ...fenceStatement(live), Action: 's3:*' };
    for (const lookalike of [others, shaped]) {
      const text = policyOf(allow, lookalike);
      const { content: compared, fences } = withoutFences(content(text), ARN, NOW);
      expect(compared.inlinePolicy).toBe(text);
      expect(fences).toEqual({ live: [], expired: [] });
      const [update] = planDefinedSet(content(manifestPolicy), readSet(text), { decision: 'own' });
      expect(update).toMatchObject({
        change: 'update',
        changes: [expect.objectContaining({ field: 'inline-policy' })],
      });
    }
  });

  it('a policy with an `Id` keeps it where its fences are left out: the manifest’s same policy is no drift', () => {
    const withId = normalisedPolicy({ Version: '2012-10-17', Id: 'Ours', Statement: [allow] });
    const read = normalisedPolicy({
      Version: '2012-10-17',
      Id: 'Ours',
      Statement: [allow, fenceStatement(live)],
    });
    const { content: compared, fences } = withoutFences(content(read), ARN, NOW);
    expect(compared.inlinePolicy).toBe(withId);
    expect(fences).toEqual({ live: [live], expired: [] });
    expect(planDefinedSet(content(withId), readSet(read), { decision: 'own' })).toEqual([]);
  });

  it('an unreadable policy is compared as before', () => {
    expect(withoutFences(content('not json'), ARN, NOW)).toEqual({
      content: content('not json'),
      fences: { live: [], expired: [] },
    });
  });
});

describe('an expired session fence', () => {
  it('is planned `~ update: session fence expired`, then provisioned to the accounts it named where the set is still provisioned', () => {
    const plans = planDefinedSet(content(manifestPolicy), readSet(fenced(live, expired)), {
      decision: 'own',
    });
    expect(plans).toEqual([
      expect.objectContaining({ change: 'update', changes: [], expiredFences: [expired] }),
      expect.objectContaining({ change: 'provision', accounts: ['222222222222'] }),
    ]);
    expect(planWords(plans[0]!)).toContain(
      `    session fence expired in 222222222222 (sessions issued before ${expired.before}, needed until ${expired.expiresAt}): removed`,
    );
  });

  it('of an account the set is no longer provisioned to is removed, and provisioned nowhere', () => {
    const gone = fenceFor(ARN, '444444444444', NOW - 24 * 3600_000, HOUR);
    const plans = planDefinedSet(content(manifestPolicy), readSet(fenced(gone)), { decision: 'own' });
    expect(plans.map((p) => p.change)).toEqual(['update']);
  });

  it('is counted as upkeep, not as drift', () => {
    const plans = planDefinedSet(content(manifestPolicy), readSet(fenced(expired)), { decision: 'own' });
    expect(plans.map((p) => [p.change, 'upkeep' in p && p.upkeep])).toEqual([
      ['update', true],
      ['provision', true],
    ]);
  });

  it('removed beside a content change: the update is drift, and provisioned everywhere', () => {
    const plans = planDefinedSet(
      { ...content(manifestPolicy), sessionMinutes: 120 },
      readSet(fenced(expired)),
      { decision: 'own' },
    );
    expect(plans).toEqual([
      expect.objectContaining({ change: 'update', expiredFences: [expired] }),
      expect.objectContaining({ change: 'provision', accounts: blast.accounts }),
    ]);
    expect(plans.some((p) => 'upkeep' in p && p.upkeep)).toBe(false);
  });
});

describe('accounts a fence left off the latest version', () => {
  it('get `~ provision` with the reason `session fence in <account>`', () => {
    const plans = planDefinedSet(
      content(manifestPolicy),
      readSet(fenced(live), ['222222222222', '333333333333']),
      { decision: 'own' },
    );
    expect(plans).toEqual([
      expect.objectContaining({
        change: 'provision',
        accounts: ['222222222222', '333333333333'],
        reason: 'session fence in 111111111111',
      }),
    ]);
    expect(planWords(plans[0]!)[0]).toBe(
      '~ provision permission set ReadOnly to 2 account(s) not on its latest version: 222222222222, 333333333333 (session fence in 111111111111)',
    );
  });

  it('without a fence, an outdated account has no such reason', () => {
    const [provision] = planDefinedSet(content(manifestPolicy), readSet(manifestPolicy, ['222222222222']), {
      decision: 'own',
    });
    expect(provision).not.toHaveProperty('reason');
  });
});

describe('a fence merged across accounts (one per account did not fit)', () => {
  const across = (at: number) =>
    mergedFence(['111111111111', '333333333333'].map((a) => fenceFor(ARN, a, at, HOUR, [ALICE])));

  it('while live, is the set’s own: no drift, and an update keeps it, naming its accounts', () => {
    const fence = across(NOW - 30 * 60_000);
    expect(planDefinedSet(content(manifestPolicy), readSet(fenced(fence)), { decision: 'own' })).toEqual([]);
    const [update] = planDefinedSet(content(policyOf({ ...allow, Action: 's3:*' })), readSet(fenced(fence)), {
      decision: 'own',
    });
    expect(update).toMatchObject({ change: 'update', keptFences: [fence] });
    expect(planWords(update!).join('\n')).toContain(
      `session fence in 111111111111, 333333333333 kept (live until ${fence.expiresAt})`,
    );
  });

  it('once expired, is planned out naming its accounts, and provisioned to each where the set still is', () => {
    const fence = across(NOW - 24 * 3600_000);
    const plans = planDefinedSet(content(manifestPolicy), readSet(fenced(fence)), { decision: 'own' });
    expect(plans).toEqual([
      expect.objectContaining({ change: 'update', changes: [], expiredFences: [fence] }),
      expect.objectContaining({ change: 'provision', accounts: ['111111111111', '333333333333'] }),
    ]);
    expect(planWords(plans[0]!)).toContain(
      `    session fence expired in 111111111111, 333333333333 (sessions issued before ${fence.before}, needed until ${fence.expiresAt}): removed`,
    );
  });
});
