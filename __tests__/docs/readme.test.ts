// The README is what a newcomer reads first: the two commands come first, it stays short enough
// to read in ten minutes (the rest is in docs/, each page linked from it), and it documents the
// inputs a first workflow needs and links the reference of the whole interface action.yml declares,
// whose description names every operation.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from '../../scripts/workflows/play-workflow.js';

const ROOT = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  description: string;
  inputs: Record<string, { description: string }>;
  outputs: Record<string, unknown>;
};

/** The README's limit, in words as `wc -w README.md` counts them (runs of non-space). */
const WORD_LIMIT = 3000;

/** The text of the README section (`## title`), up to the next section. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`the README has no section "${title}"`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The names in the first column of a section's table (`` | `name` | ``). */
function tableNames(title: string): string[] {
  return [...section(title).matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map((m) => m[1]!);
}

describe('the README', () => {
  it('begins with the two commands: the demo against the emulator, then the tests', () => {
    const commands = [...readme.matchAll(/^```\w*\n([\s\S]*?)^```/gm)].map((m) => m[1]!.trim());
    expect(commands.slice(0, 2)).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
  });

  it("names, on its first screen, what reconcile manages beyond assignments: permission sets' content and the snapshot", () => {
    const firstScreen = readme.slice(0, readme.indexOf('\n## '));
    expect(firstScreen).toMatch(/permission sets' content/);
    expect(firstScreen).toContain('`snapshot`');
  });

  it('names, on its first screen, Entra group membership through PIM for groups', () => {
    const firstScreen = readme.slice(0, readme.indexOf('\n## '));
    expect(firstScreen).toMatch(/group membership through PIM for groups \(`target: group:…`\)/);
  });

  it(`stays within ${WORD_LIMIT} words, as wc -w counts them`, () => {
    expect(readme.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(WORD_LIMIT);
  });

  it('links every page of docs/', () => {
    const pages = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages)
      expect({ page, linked: readme.includes(`](docs/${page}`) }).toEqual({ page, linked: true });
  });

  it('links SECURITY.md, and warns of a local run’s secrets no earlier than its first workflow', () => {
    expect(readme).toMatch(/\]\(SECURITY\.md(#[\w-]+)?\)/);
    const firstWorkflow = readme.indexOf('```yaml');
    expect(firstWorkflow).toBeGreaterThan(0);
    const warning = readme.indexOf('::add-mask::');
    expect(warning < 0 || warning > firstWorkflow).toBe(true);
  });
});

describe('the README documents the interface', () => {
  it('lists the inputs a first workflow needs, each one action.yml declares', () => {
    const names = tableNames('Inputs');
    expect(names).toEqual(expect.arrayContaining(['cloud', 'operation', 'principal', 'target', 'role']));
    for (const name of names) expect(Object.keys(action.inputs)).toContain(name);
  });

  it('names, after its table, every other input action.yml declares', () => {
    const names = tableNames('Inputs');
    for (const name of Object.keys(action.inputs).filter((n) => !names.includes(n)))
      expect({ name, named: section('Inputs').includes(`\`${name}\``) }).toEqual({ name, named: true });
  });

  it('lists outputs action.yml declares, and names the others', () => {
    const names = tableNames('Outputs');
    for (const name of names) expect(Object.keys(action.outputs)).toContain(name);
    for (const name of Object.keys(action.outputs).filter((n) => !names.includes(n)))
      expect(section('Outputs')).toContain(`\`${name}\``);
  });

  it('links the reference of every input and output', () => {
    expect(section('Inputs')).toContain('](docs/inputs-and-outputs.md)');
    expect(section('Outputs')).toContain('](docs/inputs-and-outputs.md#every-output)');
  });
});

describe('action.yml’s description, the Marketplace listing’s one line', () => {
  /** The values the `operation` input takes: its backticked words, outside the parentheses. */
  const operations = [
    ...action.inputs.operation!.description.replace(/\([^)]*\)/g, '').matchAll(/`([a-z]+)`/g),
  ].map((m) => m[1]!);

  it('names every operation the action has', () => {
    expect(operations).toEqual([
      'assign',
      'revoke',
      'provision',
      'reconcile',
      'sweep',
      'report',
      'request',
      'review',
    ]);
    for (const operation of operations) expect(action.description.toLowerCase()).toContain(operation);
  });

  it('names both clouds', () => {
    expect(action.description).toContain('AWS');
    expect(action.description).toContain('Azure');
  });
});
