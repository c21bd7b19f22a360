// What the step does, on its own so that the inputs' tables (operation-inputs.ts) and the audit
// log's input (audit-log.ts) can name it below config.ts, which gathers them.
import type { Operation } from '../types.js';

/**
 * What the step does: a grant operation, `reconcile` (the grants come from a manifest), or `sweep`
 * (the grants are those ephemeral steps left behind).
 */
export type StepOperation = Operation | 'reconcile' | 'sweep' | 'report' | 'request' | 'review';
