// The engine's one write plan, against fake writers whose call log shows what ran when: the order
// the kinds declare between their writes, what a write needs of another, the step's one
// concurrency across kinds, the deadline, and the effects one kind registers on another's writes.
import { describe, expect, it } from '@jest/globals';
import { Deadline } from '../../../src/engine/limits/deadline.js';
import type {
  KindWriter,
  PlannedWriteOf,
  WriteEffect,
  WriteEnded,
} from '../../../src/engine/calls/write-plan.js';
import { runWrites } from '../../../src/engine/run/run-writes.js';
import type { GrantStatus } from '../../../src/core/types.js';
import type { GrantResult } from '../../../src/core/grant-result.js';

const SET = 'aws-permission-set';
const ASSIGNMENT = 'aws-account-assignment';

type Item = { name: string; fails?: boolean; answer?: string };

/** A writer that logs each write's start and end, ends them in the order `release` lets, and answers as told. */
class FakeWriter implements KindWriter<Item> {
  readonly log: string[];
  inFlight = 0;
  mostInFlight = 0;
  /** Writes wait for this before they end, when set. */
  gate: Promise<void> | undefined;
  readonly sent: { name: string; item: Item }[] = [];

  constructor(log: string[]) {
    this.log = log;
  }

  async write(write: PlannedWriteOf<Item>, item: Item): Promise<WriteEnded> {
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    this.log.push(`start ${write.item.name}`);
    this.sent.push({ name: write.item.name, item });
    await (this.gate ?? Promise.resolve());
    await Promise.resolve();
    this.inFlight--;
    this.log.push(`end ${write.item.name}`);
    const status: GrantStatus = item.fails ? 'FAILED' : 'SUCCEEDED';
    return { status, rows: [row(write.item.name, status)], ...(item.answer ? { answer: item.answer } : {}) };
  }

  unsent(write: PlannedWriteOf<Item>, why: { deadline: Deadline } | { refused: Error }): WriteEnded {
    const reason = 'refused' in why ? why.refused.message : 'deadline';
    this.log.push(`unsent ${write.item.name}: ${reason}`);
    return {
      status: 'refused' in why ? 'FAILED' : 'IN_PROGRESS',
      rows: [row(write.item.name, 'FAILED', reason)],
    };
  }
}

function row(name: string, status: GrantStatus, failureReason?: string): GrantResult {
  return {
    cloud: 'aws',
    operation: 'assign',
    principal: '',
    target: '',
    role: name,
    status,
    changed: status === 'SUCCEEDED',
    before: 'unknown',
    after: 'unknown',
    change: 'none',
    durationMs: 0,
    ...(failureReason ? { failureReason } : {}),
  };
}

const write = (
  kind: string,
  change: PlannedWriteOf['change'],
  name: string,
  more: Partial<PlannedWriteOf<Item>> = {},
) => ({ kind, change, item: { name }, ...more }) as PlannedWriteOf<Item>;

function run(
  writes: PlannedWriteOf<Item>[],
  options: {
    maxConcurrency?: number;
    deadline?: Deadline;
    effects?: WriteEffect[];
    gate?: Promise<void>;
  } = {},
) {
  const log: string[] = [];
  const writer = new FakeWriter(log);
  writer.gate = options.gate;
  const running = runWrites(
    { writes },
    {
      maxConcurrency: options.maxConcurrency ?? 10,
      bound: { deadline: options.deadline ?? new Deadline(600) },
      writerOf: () => writer as KindWriter,
      ...(options.effects ? { effects: options.effects } : {}),
    },
  );
  return { log, writer, running };
}

const before = (log: string[], a: string, b: string) => {
  expect(log).toContain(a);
  expect(log).toContain(b);
  return log.indexOf(a) < log.indexOf(b);
};

describe('the order the kinds declare holds in any plan that holds both', () => {
  it('a permission set is created before any assignment is created, and deleted only after every assignment delete', async () => {
    const { log, running } = run([
      write(ASSIGNMENT, 'create', 'alice on new-set'),
      write(ASSIGNMENT, 'delete', 'bob on old-set'),
      write(SET, 'delete', 'old-set'),
      write(SET, 'create', 'new-set'),
    ]);
    await running;
    expect(before(log, 'end new-set', 'start alice on new-set')).toBe(true);
    expect(before(log, 'end bob on old-set', 'start old-set')).toBe(true);
  });

  it('a set’s update and its provisioning end before any assignment write starts', async () => {
    const { log, running } = run([
      write(ASSIGNMENT, 'create', 'carol'),
      write(ASSIGNMENT, 'delete', 'dave'),
      write(SET, 'provision', 'provision Engineers'),
      write(SET, 'update', 'update Engineers'),
    ]);
    await running;
    expect(before(log, 'end update Engineers', 'start provision Engineers')).toBe(true);
    for (const assignment of ['carol', 'dave'])
      expect(before(log, 'end provision Engineers', `start ${assignment}`)).toBe(true);
  });

  it('writes with nothing between them run side by side up to max-concurrency, lowest index first', async () => {
    const { log, writer, running } = run(
      [write(SET, 'create', 's1'), write(SET, 'create', 's2'), write(ASSIGNMENT, 'create', 'a')],
      { maxConcurrency: 2 },
    );
    await running;
    expect(log.slice(0, 2)).toEqual(['start s1', 'start s2']);
    expect(writer.mostInFlight).toBe(2);
  });

  it('deletes do not wait behind creates that hold every place: they have places of their own', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { log, writer, running } = run(
      [write(ASSIGNMENT, 'create', 'a'), write(ASSIGNMENT, 'create', 'b'), write(ASSIGNMENT, 'delete', 'c')],
      { maxConcurrency: 1, gate },
    );
    await new Promise((resolve) => setImmediate(resolve));
    // The first create holds the one place of the creates; the delete is sent beside it.
    expect(log).toEqual(['start a', 'start c']);
    expect(writer.inFlight).toBe(2);
    open();
    await running;
    expect(log).toContain('start b');
  });

  it('a circle in the order is refused before any write', async () => {
    const { log, running } = run([
      write(ASSIGNMENT, 'create', 'a', { needs: { all: [1] } }),
      write(ASSIGNMENT, 'create', 'b', { needs: { all: [0] } }),
    ]);
    await expect(running).rejects.toThrow(/circle/);
    expect(log).toEqual([]);
  });
});

describe('what a write needs of another', () => {
  it('a write that needs a create takes what it answered (a new set’s ARN)', async () => {
    const { writer, running } = run([
      { kind: SET, change: 'create', item: { name: 'new-set', answer: 'arn:set/ps-new' } },
      write(ASSIGNMENT, 'create', 'alice', {
        needs: { all: [0], bind: ([arn]) => ({ name: `alice on ${arn}` }) },
      }),
    ]);
    await running;
    expect(writer.sent.map((s) => s.item.name)).toEqual(['new-set', 'alice on arn:set/ps-new']);
  });

  it('a need that failed leaves the write unsent, with the reason its plan gives', async () => {
    const { log, running } = run([
      { kind: SET, change: 'create', item: { name: 'new-set', fails: true } },
      write(ASSIGNMENT, 'create', 'alice', {
        needs: { all: [0], unmet: () => new Error('the permission set `new-set` was not created') },
      }),
    ]);
    const { ends } = await running;
    expect(log).toContain('unsent alice: the permission set `new-set` was not created');
    expect(log).not.toContain('start alice');
    expect(ends[1]?.status).toBe('FAILED');
  });

  it('a need that failed with no reason holds the write: no result, nothing sent', async () => {
    const { log, running } = run([
      { kind: ASSIGNMENT, change: 'create', item: { name: 'new role', fails: true } },
      write(ASSIGNMENT, 'delete', 'old role', { needs: { all: [0] } }),
    ]);
    const { ends } = await running;
    expect(ends[1]).toBeUndefined();
    expect(log.join('\n')).not.toMatch(/old role/);
  });

  it('a write that needs any of several starts at the first that SUCCEEDED, and is held when none does', async () => {
    const first = run([
      { kind: ASSIGNMENT, change: 'create', item: { name: 'a', fails: true } },
      { kind: ASSIGNMENT, change: 'create', item: { name: 'b' } },
      write(ASSIGNMENT, 'delete', 'd', { needs: { any: [0, 1] } }),
    ]);
    await first.running;
    expect(before(first.log, 'end b', 'start d')).toBe(true);
    const none = run([
      { kind: ASSIGNMENT, change: 'create', item: { name: 'a', fails: true } },
      write(ASSIGNMENT, 'delete', 'd', { needs: { any: [0] } }),
    ]);
    expect((await none.running).ends[1]).toBeUndefined();
    expect(none.log).not.toContain('start d');
  });
});

describe('the step’s bounds hold across kinds', () => {
  it('at most max-concurrency creates and updates are in flight, whatever their kinds, and as many deletes', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { writer, running } = run(
      [
        write(SET, 'create', 's1'),
        write(SET, 'create', 's2'),
        write(SET, 'create', 's3'),
        write(SET, 'create', 's4'),
        write(ASSIGNMENT, 'delete', 'd1'),
        write(ASSIGNMENT, 'delete', 'd2'),
        write(ASSIGNMENT, 'delete', 'd3'),
        write(ASSIGNMENT, 'delete', 'd4'),
      ],
      { maxConcurrency: 3, gate },
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(writer.inFlight).toBe(6);
    open();
    await running;
    expect(writer.mostInFlight).toBe(6);
  });

  it('no write starts once the deadline has passed: each says so, nothing is sent', async () => {
    let now = 0;
    const deadline = new Deadline(1, () => now);
    now = 5_000;
    const { log, running } = run([write(ASSIGNMENT, 'create', 'a'), write(SET, 'create', 's')], { deadline });
    const { ends } = await running;
    // The set's create comes first by its kind's order, and is not sent either.
    expect(log).toEqual(['unsent s: deadline', 'unsent a: deadline']);
    expect(ends.map((e) => e?.status)).toEqual(['IN_PROGRESS', 'IN_PROGRESS']);
  });
});

describe('an effect one kind registers on another kind’s writes', () => {
  const fence: WriteEffect = {
    on: { kind: ASSIGNMENT, change: 'delete' },
    writer: undefined as unknown as KindWriter,
    after: (deleted) => [write(SET, 'update', `fence after ${(deleted.item as Item).name}`)],
  };

  it('runs after each such write that SUCCEEDED, in a plan that never named it, and not after one that failed', async () => {
    const log: string[] = [];
    const writer = new FakeWriter(log);
    const { ends, effects } = await runWrites(
      {
        writes: [
          write(ASSIGNMENT, 'delete', 'alice'),
          { kind: ASSIGNMENT, change: 'delete', item: { name: 'bob', fails: true } },
        ],
      },
      {
        maxConcurrency: 4,
        bound: { deadline: new Deadline(600) },
        writerOf: () => writer as KindWriter,
        effects: [{ ...fence, writer: writer as KindWriter }],
      },
    );
    expect(ends.map((e) => e?.status)).toEqual(['SUCCEEDED', 'FAILED']);
    expect(effects.map((e) => (e.write.item as Item).name)).toEqual(['fence after alice']);
    expect(before(log, 'end alice', 'start fence after alice')).toBe(true);
    expect(log).not.toContain('start fence after bob');
  });

  it('lands what the effect’s write came to on the row of the write it followed, and tells that write’s writer only once the effect ended', async () => {
    const log: string[] = [];
    const deletes = new FakeWriter(log);
    const told: string[] = [];
    (deletes as KindWriter<Item>).settled = (w, ended) =>
      told.push(`${w.item.name}: ${ended?.rows[0]?.note ?? 'nothing added'}`);
    const fences: KindWriter = {
      write: async (w) => {
        log.push(`fence ${(w.item as Item).name}`);
        return { status: 'SUCCEEDED', rows: [], amends: { note: 'live sessions ended' } };
      },
      unsent: () => ({ status: 'IN_PROGRESS', rows: [] }),
    };
    const { ends, effects } = await runWrites(
      { writes: [write(ASSIGNMENT, 'delete', 'alice'), write(SET, 'update', 'other')] },
      {
        maxConcurrency: 4,
        bound: { deadline: new Deadline(600) },
        writerOf: () => deletes as KindWriter,
        effects: [{ ...fence, writer: fences }],
      },
    );
    expect(ends[0]?.rows[0]).toMatchObject({ role: 'alice', note: 'live sessions ended' });
    expect(effects).toEqual([expect.objectContaining({ after: 0 })]);
    expect(told.sort()).toEqual(['alice: live sessions ended', 'other: nothing added']);
  });

  it('holds a write ordered after another until the effects that followed that one have ended', async () => {
    const log: string[] = [];
    const writer = new FakeWriter(log);
    await runWrites(
      { writes: [write(ASSIGNMENT, 'delete', 'alice'), write(SET, 'delete', 'set')] },
      {
        maxConcurrency: 4,
        bound: { deadline: new Deadline(600) },
        writerOf: () => writer as KindWriter,
        effects: [{ ...fence, writer: writer as KindWriter }],
      },
    );
    expect(before(log, 'end fence after alice', 'start set')).toBe(true);
  });
});

describe('an effect that gathers its writes', () => {
  it('starts none of them before every write like the one it follows has ended, so its writer can take them together', async () => {
    const log: string[] = [];
    let endBob!: () => void;
    const bobHeld = new Promise<void>((resolve) => (endBob = resolve));
    const deletes: KindWriter<Item> = {
      write: async (w) => {
        log.push(`start ${w.item.name}`);
        if (w.item.name === 'bob') await bobHeld;
        log.push(`end ${w.item.name}`);
        return { status: w.item.fails ? 'FAILED' : 'SUCCEEDED', rows: [row(w.item.name, 'SUCCEEDED')] };
      },
      unsent: () => ({ status: 'IN_PROGRESS', rows: [] }),
    };
    const fences = new FakeWriter(log);
    const running = runWrites(
      {
        writes: [
          write(ASSIGNMENT, 'delete', 'alice'),
          write(ASSIGNMENT, 'delete', 'bob'),
          { kind: ASSIGNMENT, change: 'delete', item: { name: 'carol', fails: true } },
          write(SET, 'delete', 'set'),
        ],
      },
      {
        maxConcurrency: 4,
        bound: { deadline: new Deadline(600) },
        writerOf: () => deletes as KindWriter,
        effects: [
          {
            on: { kind: ASSIGNMENT, change: 'delete' },
            writer: fences as KindWriter,
            gathered: true,
            after: (deleted) => [write(SET, 'update', `fence after ${(deleted.item as Item).name}`)],
          },
        ],
      },
    );
    // Every turn the scheduler could take while bob's delete is held.
    for (let turn = 0; turn < 20; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(log).not.toContain('start fence after alice');
    endBob();
    const { effects } = await running;
    expect(effects.map((e) => (e.write.item as Item).name)).toEqual(['fence after alice', 'fence after bob']);
    expect(before(log, 'end bob', 'start fence after alice')).toBe(true);
    expect(before(log, 'end fence after alice', 'start set')).toBe(true);
    expect(before(log, 'end fence after bob', 'start set')).toBe(true);
  });
});
