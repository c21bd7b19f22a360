// The shape of an entry of ./uses.ts's table, on its own so that an entry kept in a module beside
// the table (./audit-log-use.ts) names it without importing the table that imports it.
import { CLOUDS, STEP_OPERATIONS } from '../../../src/core/inputs/operation-inputs.js';

export const OPERATIONS = STEP_OPERATIONS;
export type Operation = (typeof OPERATIONS)[number];
export { CLOUDS };
export type Cloud = (typeof CLOUDS)[number];

/** Values an input takes at the edges of its range: the test parses each, as a step would. */
export interface Edges {
  cloud: Cloud;
  operation: Operation;
  accepts: string[];
  refuses: string[];
}

export interface InputUse {
  /** What an empty value means, when action.yml's default is empty or an expression. */
  whenEmpty?: string;
  /** The values it takes. */
  accepts?: string;
  edges?: Edges[];
  /** Set on any other operation, the step refuses it (rather than ignore it). */
  refusedElsewhere?: true;
  /** What a user relies on that action.yml's one line leaves out. */
  note?: string;
  /** Where the docs say more. */
  more?: string;
}

export interface OutputUse {
  more?: string;
}
