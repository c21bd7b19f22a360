// A create's ownership, reported as the service shows it: `unknown` while it is in flight, then
// `accepted` or `created`, `contested` when another party's create ran too, `not-created` when the
// service refused it or it was never sent. The post step revokes only what is proven the step's.
import { describe, expect, it } from '@jest/globals';
import { markPossiblyApplied } from '../../../src/engine/calls/call-failures.js';
import type { WriteOutcome } from '../../../src/engine/calls/driver.js';
import type { Ownership } from '../../../src/engine/calls/ownership-proofs.js';
import { createTracked, settleOwnership } from '../../../src/engine/run/create-ownership.js';
import { answeringDriver, grant, ids } from './answering-driver.js';

/** The ownerships reported for the one grant, with their request IDs. */
function reported() {
  const said: [Ownership, string | undefined][] = [];
  return {
    said,
    onOwnership: (_: unknown, __: unknown, o: Ownership, requestId?: string) =>
      void said.push([o, requestId]),
  };
}

const pending = (createdOnAcceptance = false): WriteOutcome => ({
  kind: 'pending',
  request: { requestId: 'req-1', poll: async () => ({ status: 'IN_PROGRESS' }), createdOnAcceptance },
});

describe('a create reports its ownership as it goes', () => {
  it('unknown before it is sent, then accepted once the service takes the request', async () => {
    const { said, onOwnership } = reported();
    await createTracked(
      grant,
      ids,
      answeringDriver(async () => pending()),
      onOwnership,
    );
    expect(said).toEqual([
      ['unknown', undefined],
      ['accepted', 'req-1'],
    ]);
  });

  it('created at once where the service creates the assignment on accepting the request', async () => {
    const { said, onOwnership } = reported();
    await createTracked(
      grant,
      ids,
      answeringDriver(async () => pending(true)),
      onOwnership,
    );
    expect(said.at(-1)).toEqual(['created', 'req-1']);
  });

  it('not-created when the service refused it or answered that the assignment was there already', async () => {
    for (const outcome of [
      { kind: 'failed', failureReason: 'AccessDenied' },
      { kind: 'done', changed: false },
    ] as WriteOutcome[]) {
      const { said, onOwnership } = reported();
      expect(
        await createTracked(
          grant,
          ids,
          answeringDriver(async () => outcome),
          onOwnership,
        ),
      ).toBe(outcome);
      expect(said.at(-1)).toEqual(['not-created', undefined]);
    }
  });

  it('a create answered done at once is proven by its request, as a followed one is', async () => {
    const { said, onOwnership } = reported();
    const driver = answeringDriver(
      async () => ({ kind: 'done', changed: true, requestId: 'req-2' }),
      async () => ({ created: true }),
    );
    await createTracked(grant, ids, driver, onOwnership);
    expect(driver.proofsAsked).toEqual(['req-2']);
    expect(said.at(-1)).toEqual(['created', 'req-2']);
  });

  it('answered done with no request ID: contested, and left in place, where a proof is needed', async () => {
    const { said, onOwnership } = reported();
    const outcome = await createTracked(
      grant,
      ids,
      answeringDriver(
        async () => ({ kind: 'done', changed: true, note: 'made' }),
        async () => ({ created: true }),
      ),
      onOwnership,
    );
    expect(said.at(-1)).toEqual(['contested', undefined]);
    expect(outcome).toMatchObject({
      note: 'made; revoke-on-exit leaves it in place: the service answered without a request ID to prove it by',
    });
  });

  it('answered done with no request ID, by a cloud that needs no proof: created', async () => {
    const { said, onOwnership } = reported();
    await createTracked(
      grant,
      ids,
      answeringDriver(async () => ({ kind: 'done', changed: true })),
      onOwnership,
    );
    expect(said.at(-1)).toEqual(['created', undefined]);
  });
});

describe('a create whose answer never came', () => {
  it('stays unknown when it may have been applied (the post step resolves it), and the error is raised', async () => {
    const lost = new Error('socket hang up');
    markPossiblyApplied(lost);
    const { said, onOwnership } = reported();
    await expect(
      createTracked(
        grant,
        ids,
        answeringDriver(() => Promise.reject(lost)),
        onOwnership,
      ),
    ).rejects.toBe(lost);
    expect(said).toEqual([
      ['unknown', undefined],
      ['unknown', undefined],
    ]);
  });

  it('is not-created when it was never sent', async () => {
    const { said, onOwnership } = reported();
    await expect(
      createTracked(
        grant,
        ids,
        answeringDriver(() => Promise.reject(new Error('refused'))),
        onOwnership,
      ),
    ).rejects.toThrow('refused');
    expect(said.at(-1)).toEqual(['not-created', undefined]);
  });
});

describe("a create that ended SUCCEEDED is settled as the step's or contested", () => {
  it("is the step's when the driver shows its request made the assignment", async () => {
    const { said, onOwnership } = reported();
    const note = await settleOwnership(
      grant,
      ids,
      'req-3',
      answeringDriver(unusedCreate, async () => ({ created: true })),
      onOwnership,
    );
    expect(note).toBeUndefined();
    expect(said).toEqual([['created', 'req-3']]);
  });

  it('is contested, with why for the log, when another party made it', async () => {
    const { said, onOwnership } = reported();
    const why = 'another create for it ended first (request req-9)';
    const note = await settleOwnership(
      grant,
      ids,
      'req-3',
      answeringDriver(unusedCreate, async () => ({ created: false, why })),
      onOwnership,
    );
    expect(note).toBe(`revoke-on-exit leaves it in place: ${why}`);
    expect(said).toEqual([['contested', 'req-3']]);
  });

  it('stays accepted, for the post step to prove, when the proof cannot be read', async () => {
    const { said, onOwnership } = reported();
    const driver = answeringDriver(unusedCreate, () => Promise.reject(new Error('ThrottlingException')));
    expect(await settleOwnership(grant, ids, 'req-3', driver, onOwnership)).toBeUndefined();
    expect(said).toEqual([]);
  });

  it('asks for no proof when no ownership is being saved (no revoke-on-exit)', async () => {
    const driver = answeringDriver(unusedCreate, async () => ({ created: true }));
    expect(await settleOwnership(grant, ids, 'req-3', driver, undefined)).toBeUndefined();
    expect(driver.proofsAsked).toEqual([]);
  });
});

function unusedCreate(): Promise<WriteOutcome> {
  return Promise.reject(new Error('create is not reached here'));
}
