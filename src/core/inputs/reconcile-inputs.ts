// The inputs of `operation: reconcile`: the manifest's path in the workspace, and how many deletes
// a run may make. The grants come from the manifest, so the list inputs must be empty.
import { FALSE_INPUT } from '../patterns.js';
import { printable, requiredInput, type InputReader, type Problems } from './fields.js';
import type { ListInputs } from './grants.js';
import type { ReconcileRequest } from './config.js';
import { createdBy, githubToken, lookbackSeconds } from './claim-inputs.js';
import { manifestPathWrong } from './manifest-input.js';
import { maxDeletions } from './max-deletions.js';
import { parseSnapshotInputs } from './snapshot-inputs.js';

/** An empty `manifest`: a reconcile has nothing else to go by. */
const NO_MANIFEST = {
  problem: 'is required for `operation: reconcile`',
  fix: 'give the path of the manifest in the repository, e.g. `access/manifest.yml`',
};

/** `policy-checks`: `on` (the default), `required` or `off`. */
function policyChecks(problems: Problems, read: InputReader): ReconcileRequest['policyChecks'] {
  const written = read('policy-checks').trim().toLowerCase();
  if (written === '' || written === 'on') return 'on';
  if (written === 'required' || written === 'off') return written;
  problems.add(
    'policy-checks',
    `\`${printable(written)}\` is not \`on\`, \`required\` or \`off\``,
    'write `on` (checks what can be checked), `required` (fails when a check cannot run) or `off`',
  );
  return 'on';
}

export function parseReconcileInputs(
  problems: Problems,
  read: InputReader,
  lists: ListInputs,
  cloud: 'aws' | 'azure' | undefined,
): ReconcileRequest {
  const manifest = requiredInput(problems, 'manifest', read('manifest').trim(), NO_MANIFEST, (path) =>
    manifestPathWrong(path, 'give a path relative to the workspace, e.g. `access/manifest.yml`'),
  );
  for (const [input, values] of [
    ['principal', lists.principals],
    ['target', lists.targets],
    ['role', lists.roles],
  ] as const) {
    if (values.length > 0)
      problems.add(
        input,
        'is not used by `operation: reconcile`: the manifest lists the assignments',
        `remove \`${input}\`, and write the assignment in the manifest`,
      );
  }
  // Azure writes what each manifest entry says (description, condition); a reconcile keeps
  // permanent assignments under names of its own.
  for (const input of ['duration', 'assignment-name', 'description', 'condition', 'condition-version'])
    if (cloud === 'azure' && read(input).trim() !== '')
      problems.add(
        input,
        'is not used by `operation: reconcile`',
        input === 'description' || input.startsWith('condition')
          ? `write \`${input}\` on the manifest's entries`
          : `remove \`${input}\``,
      );
  if (FALSE_INPUT.test(read('wait').trim()))
    problems.add(
      'wait',
      'cannot be `false` for `operation: reconcile`: every create is followed to its end before any delete, so a change of role never leaves a gap',
      'remove `wait`',
    );
  return {
    manifest,
    maxDeletions: maxDeletions(problems, read),
    // A claim on what the plan would delete leaves it in place (core/claims/); without a token, a
    // claim that ends with its run cannot be told live, and the grant is drift as before.
    createdBy: createdBy(problems, read, cloud, false),
    githubToken: githubToken(problems, read),
    lookbackSeconds: lookbackSeconds(problems, read, cloud),
    policyChecks: policyChecks(problems, read),
    ...parseSnapshotInputs(problems, read, cloud),
  };
}
