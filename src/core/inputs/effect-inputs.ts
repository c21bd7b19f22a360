// The inputs the kinds' effects on a delete read, declared once: the permission-set kind's
// `end-sessions` (a revoke also ends the sessions the deleted assignment left live, by a session
// fence in the permission set: aws/permission-sets/session-fences.ts). The tables of every input
// (who reads each: ./operation-inputs.ts; the defaults action.yml gives: ./other-operation.ts,
// ./other-cloud.ts), the AWS section's read (./aws.ts) and a session's settings (./settings.ts)
// take them from here, and name none.
import type { Cloud } from '../types.js';
import { booleanInput, type InputReader, type Problems } from './fields.js';
import type { StepOperation } from './step-operation.js';

/** What a config, and the settings its adapter is given, hold of the effect inputs. */
export interface EffectOptions {
  /**
   * `end-sessions`: a revoke also ends the sessions the deleted assignment left live (a session
   * fence in the permission set); false keeps them. Undefined: true (a post step of a main step
   * that saved none).
   */
  endSessions?: boolean | undefined;
}

/** An effect input: the operations and clouds that read it, and its default as action.yml gives it. */
interface EffectInput {
  operations: readonly StepOperation[];
  clouds: readonly Cloud[];
  default: string;
}

export const EFFECT_INPUTS: Readonly<Record<string, EffectInput>> = {
  // Every operation that revokes: revoke, an assign's or a request's post step, a sweep, a reconcile's deletes.
  'end-sessions': {
    operations: ['assign', 'revoke', 'sweep', 'reconcile', 'request', 'review'],
    clouds: ['aws'],
    default: 'true',
  },
};

/** The effect inputs `cloud` reads (every cloud's, without one), each with its default. */
export function effectInputDefaults(cloud?: Cloud): Record<string, string> {
  return Object.fromEntries(
    Object.entries(EFFECT_INPUTS)
      .filter(([, input]) => cloud === undefined || input.clouds.includes(cloud))
      .map(([name, input]) => [name, input.default]),
  );
}

/** The AWS section's effect options, read from the step's inputs. */
export function readAwsEffectOptions(problems: Problems, read: InputReader): EffectOptions {
  return { endSessions: booleanInput(problems, read, 'end-sessions', true) };
}

/** The effect options a config hands its adapter, every key present. */
export const effectOptionsOf = (
  config: EffectOptions,
): { [K in keyof Required<EffectOptions>]: EffectOptions[K] } => ({ endSessions: config.endSessions });
