// The check actionlint makes of a step's `with:` against the action it uses (its inputs, the
// required ones, the outputs read from it), made for this repository's own actions: the root
// action (`cloud-access/cloud-access@v1`, `./`) and each sub-action
// (`cloud-access/cloud-access/grant@v1`, `./grant`), against the action.yml in this checkout.
// actionlint reads a local action's action.yml from disk, which its WebAssembly build
// (./actionlint.ts) cannot, and knows no metadata of an unpublished remote action; its messages are
// kept, so a problem reads the same from either.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { WorkflowProblem } from './actionlint.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface ActionMetadata {
  inputs?: Record<string, { required?: boolean; default?: unknown }>;
  outputs?: Record<string, unknown>;
}

/** The folder of this repository's action a `uses:` names, or undefined for any other action. */
export function ownActionFolder(uses: string): string | undefined {
  const remote = /^cloud-access\/cloud-access(?:\/([\w-]+))?@\S+$/.exec(uses);
  const local = /^\.\/(?:([\w-]+)\/?)?$/.exec(uses);
  const folder = remote ? (remote[1] ?? '') : local ? (local[1] ?? '') : undefined;
  if (folder === undefined || !existsSync(join(ROOT, folder, 'action.yml'))) return undefined;
  return folder;
}

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');
const keysOf = (map: unknown): string[] =>
  isMap(map) ? map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')) : [];

/** The problems of one step of `uses` (one of ours), at the lines of its keys. */
function stepProblems(
  step: YAMLMap,
  uses: string,
  action: ActionMetadata,
  at: (node: Node | null | undefined) => { line: number; column: number },
): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  const declared = Object.keys(action.inputs ?? {});
  const withMap = step.get('with', true);
  const given = keysOf(withMap);
  if (isMap(withMap))
    for (const pair of withMap.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!declared.includes(name))
        problems.push({
          ...at(pair.key as Node),
          kind: 'action',
          message: `input "${name}" is not defined in action "${uses}". available inputs are ${quoted(declared)}`,
        });
    }
  const required = Object.entries(action.inputs ?? {})
    .filter(([, input]) => input.required && input.default === undefined)
    .map(([name]) => name);
  const missing = required.filter((name) => !given.includes(name));
  if (missing.length > 0)
    problems.push({
      ...at(step.get('uses', true) as Node),
      kind: 'action',
      message: `missing input ${quoted(missing)} which is required by action "${uses}". all required inputs are ${quoted(required)}`,
    });
  return problems;
}

/** A step's outputs read in `job` (`steps.<id>.outputs.<name>`) that the action of step `id` does not declare. */
function outputProblems(
  jobText: string,
  id: string,
  uses: string,
  action: ActionMetadata,
  line: { line: number; column: number },
): WorkflowProblem[] {
  const declared = Object.keys(action.outputs ?? {});
  const read = [...jobText.matchAll(new RegExp(`steps\\.${id}\\.outputs\\.([\\w-]+)`, 'g'))].map(
    (m) => m[1]!,
  );
  return [...new Set(read)]
    .filter((name) => !declared.includes(name))
    .map((name) => ({
      ...line,
      kind: 'expression',
      message: `property "${name}" is not defined in the outputs of step "${id}" (action "${uses}"). available outputs are ${quoted(declared)}`,
    }));
}

/** Every problem of `text` (a workflow) in the steps that use this repository's actions. */
export function actionInputProblems(text: string): WorkflowProblem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const at = (node: Node | null | undefined) => {
    const position = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { line: position.line, column: position.col };
  };
  const problems: WorkflowProblem[] = [];
  const jobs = doc.get('jobs', true);
  if (!isMap(jobs)) return problems;
  for (const { value: job } of jobs.items) {
    if (!isMap(job)) continue;
    const steps = job.get('steps', true);
    if (!isSeq(steps)) continue;
    const jobText = String(job);
    for (const step of steps.items) {
      if (!isMap(step)) continue;
      const uses = step.get('uses');
      const folder = typeof uses === 'string' ? ownActionFolder(uses) : undefined;
      if (folder === undefined) continue;
      const action = parseDocument(
        readFileSync(join(ROOT, folder, 'action.yml'), 'utf8'),
      ).toJS() as ActionMetadata;
      problems.push(...stepProblems(step, uses as string, action, at));
      const id = step.get('id');
      if (typeof id === 'string')
        problems.push(
          ...outputProblems(jobText, id, uses as string, action, at(step.get('uses', true) as Node)),
        );
    }
  }
  return problems;
}
