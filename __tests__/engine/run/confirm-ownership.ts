// The post step's two questions of a saved grant in a row, as operations/revoke-on-exit/revoke-owned.ts
// asks them (each in its own turn there): did the step's create make it, and is it still the step's alone.
import type { GrantDriver } from '../../../src/engine/calls/driver.js';
import type { WaitBound } from '../../../src/engine/limits/deadline.js';
import {
  createdByStep,
  stillTheStepsAlone,
  type OwnershipVerdict,
  type SavedCreate,
} from '../../../src/engine/run/ownership.js';

export async function confirmOwnership(
  saved: SavedCreate,
  driver: GrantDriver,
  options: WaitBound,
): Promise<OwnershipVerdict> {
  const verdict = await createdByStep(saved, driver, options);
  return verdict.ours ? stillTheStepsAlone(saved, driver) : verdict;
}
