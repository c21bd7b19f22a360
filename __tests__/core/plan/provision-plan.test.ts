// `operation: provision`, the pure part: the request plan, and what the requests' outcomes add up to.
import { describe, expect, it } from '@jest/globals';
import {
  chooseProvisionPlan,
  planProvision,
  summariseProvision,
} from '../../../src/core/plan/provision-plan.js';

const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const D = '444444444444';

describe('chooseProvisionPlan', () => {
  const many = Array.from({ length: 3000 }, (_, i) => String(i).padStart(12, '0'));
  it.each([
    ['nothing outdated', 'none', [], 4, true],
    ['3 of 4 outdated, all asked', 'all-provisioned-accounts', [A, B, C], 4, true],
    // Half, not more than half, are outdated: per account.
    ['2 of 4 outdated, all asked', 'per-account', [A, B], 4, true],
    // One outdated account: one request either way, and per account touches only it.
    ['1 of 1 outdated, all asked', 'per-account', [A], 1, true],
    // The accounts were listed: ALL_PROVISIONED_ACCOUNTS would reach others.
    ['3 of 4 outdated, listed', 'per-account', [A, B, C], 4, false],
    // ALL_PROVISIONED_ACCOUNTS reaches at most 3,500 accounts.
    ['3,000 of 3,501 outdated, all asked', 'per-account', many, 3501, true],
  ])('%s → %s', (_case, mode, outdated, provisioned, allAsked) => {
    expect(chooseProvisionPlan(outdated, provisioned, allAsked)).toEqual({ mode, accounts: outdated });
  });
});

describe('planProvision', () => {
  it('only outdated accounts in scope, the current ones reported as such', () => {
    expect(planProvision({ allAsked: false, targets: [A, C, D], onlyOutdated: true }, [A, B], [C])).toEqual({
      choice: { mode: 'per-account', accounts: [A] },
      detail: { requestPlan: 'per-account', outdated: [A], alreadyCurrent: [C] },
    });
  });

  it('every account asked when only-outdated is false, naming those not provisioned before', () => {
    expect(planProvision({ allAsked: false, targets: [A, C, D], onlyOutdated: false }, [A, B], [C])).toEqual({
      choice: { mode: 'per-account', accounts: [A, C, D] },
      detail: { requestPlan: 'per-account', outdated: [A], alreadyCurrent: [], notProvisionedBefore: [D] },
    });
  });
});

describe('summariseProvision', () => {
  it('after one ALL_PROVISIONED_ACCOUNTS request, the accounts still outdated are the failed ones', () => {
    const summary = summariseProvision(
      [{ account: 'ALL_PROVISIONED_ACCOUNTS', requestId: 'r-1', status: 'SUCCEEDED' }],
      { mode: 'all-provisioned-accounts', accounts: [A, B, C] },
      new Set([B]),
      60,
    );
    expect(summary).toMatchObject({
      status: 'FAILED',
      changed: true,
      requestId: 'r-1',
      reprovisioned: [A, C],
      failed: [{ account: B, reason: 'still outdated after ALL_PROVISIONED_ACCOUNTS provisioning' }],
      failureReason: `${B}: still outdated after ALL_PROVISIONED_ACCOUNTS provisioning`,
    });
  });

  it('requests still running at the deadline leave it IN_PROGRESS, naming them', () => {
    const summary = summariseProvision(
      [
        { account: A, requestId: 'r-1', status: 'SUCCEEDED' },
        { account: B, requestId: 'r-2', status: 'IN_PROGRESS' },
      ],
      { mode: 'per-account', accounts: [A, B] },
      undefined,
      60,
    );
    expect(summary).toMatchObject({
      status: 'IN_PROGRESS',
      changed: true,
      reprovisioned: [A],
      failureReason: 'still IN_PROGRESS when the 60s deadline passed: r-2',
    });
  });
});
