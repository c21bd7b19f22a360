import { CloudAccessError } from '../core/errors.js';
import type { Plan } from '../core/inputs.js';

export async function runProvision(_plan: Plan): Promise<void> {
  throw new CloudAccessError('`operation: provision` is not available in this version', { input: 'operation' });
}
