// The sweep under `audit-log`: its first record is written before any write it makes, the
// rewrite of a description it tidies of ended runs' markers (src/azure/sweep/tidy.ts) included,
// and none is made when the record cannot be. The sweeper and the store are the test's own.
import { describe, expect, it } from '@jest/globals';
import type { ConfigOf } from '../../../src/core/inputs/index.js';
import { runKeyOf, type Claim, type RunRef, type RunState } from '../../../src/core/claims/claims.js';
import { AuditTrail } from '../../../src/engine/audit/trail.js';
import { AuditSinkError, type AuditSink } from '../../../src/engine/audit/sink.js';
import { emptyStats } from '../../../src/engine/calls/driver.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import type { Sweeper } from '../../../src/engine/run/sweeper.js';
import { runSweep } from '../../../src/operations/sweep/index.js';
import { onEvent, recordedRunner } from '../../steps/recorded-runner.js';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const run = (runId: string): RunRef => ({ repositoryId: '123456789', runId, attempt: '1' });
const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000001';
/** A grant its creating run still uses, on which an ended run relied. */
const claim: Claim = {
  ids: {
    cloud: 'azure',
    principalId: '11111111-1111-1111-1111-111111111111',
    roleId: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
    scope: { scope: SCOPE, kind: 'subscription' },
    name: '22222222-2222-2222-2222-222222222222',
  },
  shown: { principal: 'p', role: 'Reader', target: SCOPE },
  mark: { run: run('live'), ephemeral: true },
  reliers: [{ run: run('done'), ephemeral: true, madeBy: 'm', madeAt: NOW - 60_000, evidence: 'marker' }],
  madeBy: 'm',
  madeAt: NOW - 120_000,
  evidence: 'marker',
  standing: { holds: true },
};

const config = {
  cloud: 'azure',
  operation: 'sweep',
  dryRun: false,
  maxConcurrency: 10,
  run: {},
  sweep: {
    createdBy: [],
    githubToken: 'token',
    lookbackSeconds: 7 * 86400,
    maxDeletions: 10,
    failOnStuck: false,
    scopes: [],
  },
} as unknown as ConfigOf<'sweep'>;

async function sweep(refuse: boolean) {
  const events: string[] = [];
  const store: AuditSink = {
    where: '`https://audit.blob.core.windows.net/audit/x`',
    prefix: 'x',
    permission: 'the role `Storage Blob Data Contributor` on container `audit`',
    async putOnce(_key, body) {
      if (refuse) throw new AuditSinkError('AuthorizationPermissionMismatch: no', true);
      events.push(`record ${(JSON.parse(body) as { change: string }).change}`);
      return 'written';
    },
  };
  // As azure/sweeper.ts's: each description rewrite waits for the write's go-ahead, and is not made without it.
  const sweeper: Sweeper = {
    cloud: 'azure',
    stats: emptyStats(),
    read: async () => ({ claims: [claim], notes: [] }),
    revoker: () => {
      throw new Error('nothing to revoke');
    },
    tidy: async (entries, dryRun, beforeWrite?: () => Promise<void>) => {
      try {
        await beforeWrite?.();
        if (!dryRun) events.push('description rewritten');
      } catch {
        // Left for the next sweep, as azure/sweep/tidy.ts leaves one it cannot write.
      }
      return { tidied: new Map(), notes: [] };
    },
  };
  const step = { step: 'main' as const, operation: 'sweep' as const, run: {} };
  const audit = new AuditTrail(store, step, (message) => events.push(`warning ${message}`), {
    deadline: new Deadline(60),
  });
  const recorded = recordedRunner();
  const states = new Map<string, RunState>([
    [runKeyOf(run('live')), { state: 'going', status: 'in_progress' }],
    [runKeyOf(run('done')), { state: 'completed', conclusion: 'success' }],
  ]);
  await runSweep(
    config,
    onEvent(recorded.effects, { eventName: 'schedule', tokenEndpoint: 'https://token.example' }),
    {
      open: async () => ({
        sweeper,
        deadline: new Deadline(60),
        audit,
        readRuns: async (wanted) => ({ states, requests: wanted.length }),
      }),
    },
    () => NOW,
  );
  return events;
}

describe('the sweep under audit-log', () => {
  it('writes its first record before it rewrites the description of a grant it tidies', async () => {
    expect(await sweep(false)).toEqual(['record plan', 'description rewritten']);
  });

  it('rewrites no description when its first record cannot be written', async () => {
    expect(await sweep(true)).toEqual([]);
  });
});
