// The workflow examples of the README and docs/ as workflows actionlint can check
// (scripts/workflows/lint-workflows.ts): users copy them, so they must be as valid as the repository's own
// workflows. A ```yaml block is a workflow when it has `jobs:` (given `on:` when it leaves it out),
// or a list of steps, which is checked inside a job of its own; any other block (a `concurrency:`
// fragment) is not a workflow.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from './play-workflow.js';

/** A Markdown file users read and copy from, by its path in the repository. */
export interface UserDoc {
  path: string;
  text: string;
}

/** README.md and every docs/*.md, the files whose examples users copy. */
export function userDocs(root: string): UserDoc[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs].map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

export interface ReadmeWorkflow {
  /** The Markdown line of the block's first line of YAML. */
  line: number;
  /** The block as a complete workflow. */
  text: string;
  /** Lines put before the block's own first line (subtract from actionlint's line numbers). */
  added: number;
}

/** A job around a list of steps: the examples exchange the job's OIDC token. */
const STEPS_JOB = [
  'on: workflow_dispatch',
  'permissions:',
  '  id-token: write',
  'jobs:',
  '  example:',
  '    runs-on: ubuntu-latest',
  '    steps:',
];

/** The ```yaml blocks of a Markdown file that are workflows or lists of steps, each as a workflow. */
export function readmeWorkflows(markdown: string): ReadmeWorkflow[] {
  const found: ReadmeWorkflow[] = [];
  for (const match of markdown.matchAll(/^```yaml\n([\s\S]*?)^```/gm)) {
    const line = markdown.slice(0, match.index).split('\n').length + 1;
    const block = match[1]!;
    const doc = parseYaml(block);
    if (Array.isArray(doc)) {
      const steps = block
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => (l ? `      ${l}` : l));
      found.push({ line, text: [...STEPS_JOB, ...steps, ''].join('\n'), added: STEPS_JOB.length });
    } else if (doc && typeof doc === 'object' && 'jobs' in doc) {
      const addOn = !('on' in doc);
      found.push({
        line,
        text: addOn ? `on: workflow_dispatch\n${block}` : block,
        added: addOn ? 1 : 0,
      });
    }
  }
  return found;
}
