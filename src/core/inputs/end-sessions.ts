// The session fence's input (the permission-set kind's effect on a delete: a revoke also ends the
// sessions the deleted assignment left live, by a session fence in the permission set,
// aws/permission-sets/session-fences.ts), as the effect inputs' registry lists it
// (./effect-inputs.ts). Every operation that revokes reads it.
import { booleanInput, type InputReader, type Problems } from './fields.js';
import type { EffectInput } from './effect-input.js';

/** What a config, and the settings its adapter is given, hold of it. */
export interface EndSessionsOptions {
  /**
   * `end-sessions`: a revoke also ends the sessions the deleted assignment left live (a session
   * fence in the permission set); false keeps them. Undefined: true (a post step of a main step
   * that saved none).
   */
  endSessions?: boolean | undefined;
}

export const END_SESSIONS: EffectInput<EndSessionsOptions> = {
  name: 'end-sessions',
  // Every operation that revokes: revoke, an assign's or a request's post step, a sweep, a reconcile's deletes.
  operations: ['assign', 'revoke', 'sweep', 'reconcile', 'request', 'review'],
  clouds: ['aws'],
  default: 'true',
  read: (problems: Problems, read: InputReader) => ({
    endSessions: booleanInput(problems, read, 'end-sessions', true),
  }),
  optionsOf: (config) => ({ endSessions: config.endSessions }),
};
