// Each cloud's adapter (./cloud-adapters.ts), loaded with import() when a session first asks for it.
// A session asks once it is signed in, when the step's first request (its GitHub OIDC token) is
// already on the wire: the table, and what it imports, are read while the endpoint answers.
import type { AdapterSettings } from '../core/inputs/index.js';

/** The adapter of the cloud `settings` sign in to (./cloud-adapters.ts's adapterOf), once loaded. */
export async function loadAdapterOf(settings: AdapterSettings) {
  return (await import('./cloud-adapters.js')).adapterOf(settings);
}
