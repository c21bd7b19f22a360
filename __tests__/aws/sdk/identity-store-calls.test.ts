// Identity Store calls run under a quota of their own (identity-store-calls.ts), yet as the SSO
// Admin calls do: counted in the step's stats, retried when throttled, and ended at the deadline
// or on cancellation.
import { describe, expect, it } from '@jest/globals';
import { createIdentityStoreCallRunner } from '../../../src/aws/sdk/identity-store-calls.js';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import { emptyStats, type AdapterDeps } from '../../../src/engine/calls/driver.js';

const throttled = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
    $fault: 'client',
  });

const deps = (seconds: number, signal?: AbortSignal): AdapterDeps =>
  ({
    deadline: new Deadline(seconds),
    requestToken: async () => 'token',
    mask: () => {},
    ...(signal ? { signal } : {}),
  }) as unknown as AdapterDeps;

describe('Identity Store calls are retried, counted and bounded like SSO Admin calls', () => {
  it('a call throttled every time is retried until the deadline, each attempt counted in the step stats', async () => {
    const stats = emptyStats();
    const call = createIdentityStoreCallRunner(deps(2), stats, 1_000);
    const error = await call('GetUserId', async () => {
      throw throttled();
    }).catch((e: unknown) => e);
    // Ended by the deadline, not by giving up early: it says it was still being retried.
    expect(String(error)).toContain('GetUserId was still being retried when the deadline passed');
    expect(stats.calls.GetUserId).toBeGreaterThan(1);
    // Each throttled answer but the last is retried, counted; the last is counted too when its retry
    // was planned and then the deadline left no room to send it (a loaded machine's timing).
    expect(stats.throttled).toBeGreaterThanOrEqual(stats.calls.GetUserId! - 1);
    expect(stats.throttled).toBeLessThanOrEqual(stats.calls.GetUserId!);
  });

  it('a call hung at the server ends when the step is cancelled', async () => {
    const stats = emptyStats();
    const cancel = new AbortController();
    const call = createIdentityStoreCallRunner(deps(60, cancel.signal), stats, 1_000);
    const pending = call('ListUsers', () => new Promise<never>(() => {})).catch((e: unknown) => e);
    setTimeout(() => cancel.abort(), 100);
    // Ended by the cancel, not by the 60 s deadline.
    expect(String(await pending)).toContain('ListUsers was cancelled');
    expect(stats.calls.ListUsers).toBe(1);
  });
});
