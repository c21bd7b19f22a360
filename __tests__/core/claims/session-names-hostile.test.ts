// A hostile review, pure: what the sweep's AWS evidence and plan make of a session name no step writes.
// Each failed on the code the review read.
import { describe, expect, it } from '@jest/globals';
import { awsClaimsOf } from '../../../src/core/claims/aws-evidence.js';
import { type TrailWrite } from '../../../src/core/claims/aws-writes.js';
import { planSweep } from '../../../src/operations/sweep/sweep-plan.js';
import { runsDecidingClaims } from '../../../src/core/claims/live.js';
import { runMarkOfSessionName } from '../../../src/core/run-marks.js';
import type { RunState } from '../../../src/core/claims/claims.js';
import { MIN, ROLE, trailWrite } from '../../fixtures/trail-writes.js';

const NOW = Date.parse('2026-11-25T10:00:00Z');

/** One create, always the same request: each test's history is that one write. */
const create = (sessionName: string, at: number): TrailWrite =>
  trailWrite('create', at, sessionName, {
    requestId: '00000000-0000-0000-0000-000000000001',
    eventId: 'event-1',
  });

describe('an expiry no step writes', () => {
  it('a 20-digit expiry (`-e99999999999999999999`, not a safe integer) is no expiry any step writes: unproven and named, not read as no expiry', () => {
    const name = 'cloud-access-123456789-777-1-e99999999999999999999';
    // The reader accepts it as a cloud-access name (20 digits are allowed) ...
    expect(runMarkOfSessionName(name)).toMatchObject({ ephemeral: true });
    const claims = awsClaimsOf([create(name, NOW - 60 * MIN)], [], {
      createdBy: new Set([ROLE]),
      exists: () => true,
      claimsSince: NOW - 7 * 24 * 60 * MIN,
      fullHistory: true,
    });
    const runs = new Map<string, RunState>(
      runsDecidingClaims(claims, NOW).map((r) => [
        `${r.repositoryId}#${r.runId}`,
        { state: 'completed', conclusion: 'success', latestAttempt: '1' },
      ]),
    );
    const [entry] = planSweep(claims, runs, NOW);
    // ... but an expiry more than 35 days away "is unproven and named" (docs/sweep.md, SECURITY.md).
    expect(entry?.kind).toBe('unproven');
  });
});
