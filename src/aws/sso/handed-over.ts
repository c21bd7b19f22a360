// What the AWS assignment driver hands its post step (engine/calls/driver.ts's `AdapterState`), and how
// it reads that back: the engine and the steps save it and give it back unread, so it is checked
// here, where it is used, as anything that comes from the runner's files is.
import { CloudAccessError } from '../../core/errors.js';
import { INSTANCE_ARN, REQUEST_ID } from '../../core/patterns.js';
import type { AdapterState } from '../../engine/calls/driver.js';

/**
 * Create requests that were running when the main step began reading, and when it began: a
 * create of the step's is its own only if none of these, nor any create made since, was for the
 * same assignment and ended SUCCEEDED (./ownership-proof.ts). `overflow`: too many to save, so no
 * `accepted` create can be proven the step's.
 */
export interface CreationsAtRead {
  takenAt: number;
  running: string[];
  overflow?: true;
}

/** At most this many running creates are saved (a few hundred bytes each way below Linux's 128 KiB per variable). */
export const MAX_SAVED_RUNNING_CREATES = 1_000;

/** The AWS driver's saved state, as the post step's driver reads it. */
export type AwsHandedOver = {
  /** The instance the grants were made in (discovered or given). */
  instanceArn?: string;
  creationsAtRead?: CreationsAtRead;
};

/** What the post step's driver is given: what its main step's handed over, and the steps' own creates. */
export type AwsPostGiven = AwsHandedOver & {
  /** The create requests the main step sent and heard back about (`AdapterDeps.ownCreates`). */
  ownCreates?: string[];
};

const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * The instance a saved state names, for a removal by hand (the post step's message for a grant it
 * leaves): undefined when it names none, or one that is not an instance ARN.
 */
export function instanceHandedOver(saved: AdapterState | undefined): string | undefined {
  const arn = saved?.instanceArn;
  return isString(arn) && INSTANCE_ARN.test(arn) ? arn : undefined;
}

/** The state the main step's driver handed over, checked; a value that fails a check fails the post step. */
export function readHandedOver(saved: AdapterState | undefined): AwsHandedOver {
  if (saved === undefined) return {};
  const { instanceArn, creationsAtRead } = saved;
  if (instanceArn !== undefined && (!isString(instanceArn) || !INSTANCE_ARN.test(instanceArn)))
    throw new CloudAccessError('the saved sign-in settings are not valid: instance ARN');
  const creations = parseCreationsAtRead(creationsAtRead);
  if (typeof creations === 'string')
    throw new CloudAccessError(`the saved sign-in settings are not valid: ${creations}`);
  return {
    ...(instanceArn ? { instanceArn } : {}),
    ...(creations ? { creationsAtRead: creations } : {}),
  };
}

function parseCreationsAtRead(value: unknown): CreationsAtRead | undefined | string {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return 'creations at read';
  const c = value as Record<string, unknown>;
  if (typeof c.takenAt !== 'number' || !Number.isFinite(c.takenAt)) return 'creations at read';
  if (
    !Array.isArray(c.running) ||
    c.running.length > MAX_SAVED_RUNNING_CREATES ||
    !c.running.every((id) => isString(id) && REQUEST_ID.test(id))
  )
    return 'creations at read';
  return {
    takenAt: c.takenAt,
    running: c.running as string[],
    ...(c.overflow === true ? { overflow: true } : {}),
  };
}
