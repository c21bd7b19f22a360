// A grant a reconcile would delete that a session shaped like the action's made (a run's claiming
// session name or marker: `-e`, `-t`, `-r`, `:e`, `:r`), as an identity `created-by` does not name:
// no claim of it is proven, so it is drift and deleted, but a new user's request or deploy role is
// just such an identity. The plan says so beside the delete, with the input that would trust it.
// Pure.
import type { RunMark } from '../run-marks.js';
import { runMarkOfSessionName } from '../run-marks.js';
import { placeKeyOf, type TrailWrite } from './aws-writes.js';

/** Beside the delete: whose session made it, and what to add to `created-by`. */
export function untrustedNote(mark: RunMark, identity: string, what: 'role' | 'identity'): string {
  const session = mark.timeBound ? 'request' : 'job';
  return `made by a ${session} session of ${what} ${identity}, which \`created-by\` does not trust: add ${identity} to keep such grants while their claims live`;
}

/**
 * AWS: for each place (by placeKeyOf), its latest create in `writes` when a claiming session name
 * of a role outside `createdBy` made it, as the note beside its delete.
 */
export function untrustedCreates(
  writes: readonly TrailWrite[],
  places: ReadonlySet<string>,
  createdBy: ReadonlySet<string>,
): Map<string, string> {
  const latest = new Map<string, TrailWrite>();
  for (const w of writes) {
    if (w.kind !== 'create' || w.failed) continue;
    const key = placeKeyOf(w.place);
    const seen = latest.get(key);
    if (places.has(key) && (!seen || w.at > seen.at)) latest.set(key, w);
  }
  const notes = new Map<string, string>();
  for (const [key, w] of latest) {
    if (w.roleArn === undefined || createdBy.has(w.roleArn) || w.sessionName === undefined) continue;
    const mark = runMarkOfSessionName(w.sessionName);
    // A permanent grant's session (no `-e`, `-t`, `-r`) claims nothing that trust would keep.
    if (mark?.ephemeral) notes.set(key, untrustedNote(mark, w.roleArn, 'role'));
  }
  return notes;
}
