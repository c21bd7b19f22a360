// Runs every grant of a step through one driver: resolve, read current state, write, follow the
// request to a terminal status (./grant-write.ts), each grant one write of the engine's write plan
// (./run-writes.ts). One grant failing does not stop the others, and no grant starts once the
// deadline has passed.
import { assignmentTypeOfGrant, type GrantDriver } from '../calls/driver.js';
import { RequestFollower } from './follow.js';
import { failedBeforeAnswer } from './grant-answers.js';
import { runWrites } from './run-writes.js';
import type { KindWriter, PlannedWriteOf, WriteEnded } from '../calls/write-plan.js';
import type { Grant, IdsOf, Operation } from '../../core/types.js';
import type { GrantResult } from '../../core/grant-result.js';
import { auditedDriver } from '../audit/guard.js';
import {
  baseResult,
  readAhead,
  runGrant,
  type GrantReads,
  type Run,
  type RunGrantsOptions,
} from './grant-write.js';

export type { LeftInPlace, RunGrantsOptions } from './grant-write.js';

export async function runGrants<G extends Grant>(
  grants: G[],
  cloudDriver: GrantDriver<G>,
  options: RunGrantsOptions<G>,
): Promise<GrantResult[]> {
  const change = options.operation === 'assign' ? 'create' : 'delete';
  const writer = grantWriter(grants, options);
  const run = await runWrites(
    { writes: grants.map((grant) => ({ kind: grant.kind, change, item: { grant, driver: cloudDriver } })) },
    {
      maxConcurrency: options.maxConcurrency,
      bound: { deadline: options.deadline, signal: options.signal },
      writerOf: () => writer as KindWriter,
      ...(cloudDriver.effects ? { effects: cloudDriver.effects } : {}),
      audit: options.dryRun ? undefined : options.audit,
    },
  ).finally(() => writer.close());
  // An effect's rows amend the row of the write it followed: a grant has one row.
  return run.ends.flatMap((ended) => ended?.rows ?? []);
}

/** A grant to write, and the driver that writes it (a reconcile's plan gives each its own). */
export interface GrantWrite<G extends Grant = Grant> {
  grant: G;
  driver: GrantDriver<G>;
}

/**
 * The writer of grants, of any kind of assignment (../run/run-writes.ts): each write resolved,
 * read, sent and followed to a terminal status, `create` and `update` as an assign, `delete` as a
 * revoke. `grants`: every grant the writes hold, as the step's first audit record lists them.
 * Each result is told (`onResult`) once the writes that followed it (effects) have ended, with
 * what they added. `close` once the writes have ended: the progress batch ends, and every audit
 * record is written.
 */
export function grantWriter<G extends Grant>(
  grants: readonly G[],
  options: Omit<RunGrantsOptions<G>, 'operation' | 'maxConcurrency'> & { operation: Operation },
): KindWriter<GrantWrite<G>> & { close(): Promise<void> } {
  const audit = options.dryRun ? undefined : options.audit;
  const now = options.now ?? Date.now;
  const follower = new RequestFollower(options);
  const reads = new Map<G, Promise<GrantReads<G>>>();
  const progress = options.progress?.batch(grants.length);
  const audited = new Map<GrantDriver<G>, GrantDriver<G>>();
  const driverOf = (write: GrantWrite<G>, operation: Operation): GrantDriver<G> => {
    if (!audit) return write.driver;
    let driver = audited.get(write.driver);
    if (!driver) {
      driver = auditedDriver(write.driver, audit, operation, grants);
      audited.set(write.driver, driver);
    }
    return driver;
  };
  const runOf = (write: PlannedWriteOf<GrantWrite<G>>, item: GrantWrite<G>): Run<G> => {
    const operation: Exclude<Operation, 'provision'> = write.change === 'delete' ? 'revoke' : 'assign';
    return { driver: driverOf(item, operation), options: { ...options, operation }, follower, reads };
  };
  const report = (
    run: Run<G>,
    grant: G,
    result: Omit<GrantResult, 'durationMs'>,
    started: number,
  ): WriteEnded => {
    const assignmentType = assignmentTypeOfGrant(run.driver, grant.resolved as IdsOf<G> | undefined);
    const finished: GrantResult = {
      ...result,
      ...(assignmentType ? { assignmentType } : {}),
      durationMs: now() - started,
    };
    audit?.recordResult(finished);
    return { status: finished.status, rows: [finished] };
  };
  return {
    async write(write, item, { release }) {
      const run = runOf(write, item);
      const started = now();
      const ended = progress?.begin();
      const result = await runGrant(item.grant, run, release).finally(() => ended?.());
      return report(run, item.grant, result, started);
    },
    unsent(write, why) {
      const run = runOf(write, write.item);
      const { grant } = write.item;
      const base = {
        ...baseResult(grant, run.driver, run.options),
        ...(grant.resolved ? { resolved: grant.resolved } : {}),
      };
      if ('refused' in why)
        return report(run, write.item.grant, failedBeforeAnswer(why.refused, base, false), now());
      const { deadline } = why;
      return report(
        run,
        write.item.grant,
        {
          ...base,
          status: 'IN_PROGRESS',
          failureReason: `not started: the ${deadline.seconds}s deadline (\`${deadline.input}\`) passed before its turn; nothing was requested; ${deadline.advice}`,
        },
        now(),
      );
    },
    readAhead(write) {
      void readAhead(write.item.grant, runOf(write, write.item));
    },
    settled(_, ended) {
      for (const row of ended?.rows ?? []) options.onResult?.(row);
    },
    async close() {
      progress?.close();
      await audit?.settled();
    },
  };
}
