// The README is what users copy from: its workflow examples must be valid YAML in the block style
// they will edit, with account IDs that survive YAML, and it must document the whole interface
// action.yml declares and the errors the source really raises.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml, type ActionMetadata } from '../../scripts/play-workflow.js';

const ROOT = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionMetadata;

/** The fenced blocks in `lang`, with the line each starts on. */
function blocks(lang: string): { line: number; text: string }[] {
  return [...readme.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```', 'gm'))].map((m) => ({
    line: readme.slice(0, m.index).split('\n').length,
    text: m[1]!,
  }));
}

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

const yamlBlocks = blocks('yaml');

describe('the README’s workflow examples', () => {
  it('are there', () => {
    expect(yamlBlocks.length).toBeGreaterThan(5);
  });

  it('are valid YAML', () => {
    for (const block of yamlBlocks) expect(() => parseYaml(block.text)).not.toThrow();
  });

  it('use block style, never flow-style maps (`with: {…}`, `schedule: [{…}]`)', () => {
    for (const block of yamlBlocks) {
      // `${{ … }}` expressions are the only braces a block-style example has.
      const flow = block.text
        .replace(/\$\{\{.*?\}\}/g, '')
        .split('\n')
        .map((text, i) => ({ line: block.line + 1 + i, text }))
        .filter(({ text }) => /[{]|\[\s*\{/.test(text.replace(/#.*$/, '')));
      expect(flow).toEqual([]);
    }
  });

  it('quote AWS account IDs in `target:`, so a leading zero is never lost', () => {
    for (const block of yamlBlocks) {
      const unquoted = block.text
        .split('\n')
        .map((text, i) => ({ line: block.line + 1 + i, text }))
        .filter(({ text }) => /^[\s-]*target:\s*\d/.test(text));
      expect(unquoted).toEqual([]);
    }
  });
});

describe('the README documents the interface', () => {
  it('lists every input action.yml declares, and no other', () => {
    expect(tableNames('Inputs').sort()).toEqual(Object.keys(action.inputs ?? {}).sort());
  });

  it('lists every output action.yml declares, and no other', () => {
    expect(tableNames('Outputs').sort()).toEqual(Object.keys(action.outputs ?? {}).sort());
  });

  it('gives the provision policy as a complete IAM policy document', () => {
    const policies = blocks('json')
      .map((b) => JSON.parse(b.text) as { Version?: string; Statement?: { Action?: string[] }[] })
      .filter((p) => p.Statement?.some((s) => s.Action?.includes('sso:ProvisionPermissionSet')));
    expect(policies).toHaveLength(1);
    expect(policies[0]).toMatchObject({ Version: '2012-10-17', Statement: expect.any(Array) });
  });
});

describe('the Azure permissions `duration` needs', () => {
  // What ARM checks on each PIM call the action makes (src/azure/arm-errors.ts permissionFor).
  const PIM_ACTIONS = [
    'roleAssignmentScheduleRequests/write',
    'roleAssignmentScheduleRequests/read',
    'roleAssignmentScheduleRequests/cancel/action',
    'roleAssignmentScheduleInstances/read',
    'roleAssignmentSchedules/read',
    'roleManagementPolicyAssignments/read',
  ];

  it('are all in a README custom role, with the roleAssignments actions PIM also checks', () => {
    const roles = blocks('json')
      .map((b) => JSON.parse(b.text) as { IsCustom?: boolean; Actions?: string[] })
      .filter(
        (r) =>
          r.IsCustom && r.Actions?.includes('Microsoft.Authorization/roleAssignmentScheduleRequests/write'),
      );
    expect(roles).toHaveLength(1);
    expect(roles[0]!.Actions).toEqual(
      expect.arrayContaining(
        [...PIM_ACTIONS, 'roleAssignments/read', 'roleAssignments/write'].map(
          (a) => `Microsoft.Authorization/${a}`,
        ),
      ),
    );
  });

  it("are in SECURITY.md's capability table", () => {
    const security = readFileSync(join(ROOT, 'SECURITY.md'), 'utf8');
    const row = security.split('\n').find((line) => line.startsWith('| `duration` (Azure)'));
    expect(row).toBeDefined();
    for (const action of PIM_ACTIONS) {
      const [type, ...verb] = action.split('/');
      expect(row).toContain(`\`${type}\``);
      expect(row).toContain(verb[0] === 'cancel' ? 'cancel' : verb[0]);
    }
  });
});

describe('the README’s troubleshooting', () => {
  const headings = () => [...section('Troubleshooting').matchAll(/^### (.*)$/gm)].map((m) => m[1]!);

  /** Every source file's text, for the error codes the headings quote. */
  const sourceText = (dir: string): string =>
    readdirSync(dir, { withFileTypes: true })
      .map((entry) =>
        entry.isDirectory() ? sourceText(join(dir, entry.name)) : readFileSync(join(dir, entry.name), 'utf8'),
      )
      .join('\n');
  const source = sourceText(join(ROOT, 'src'));

  it('covers the five most common errors', () => {
    expect(headings()).toHaveLength(5);
  });

  it('quotes only error codes and variables the source knows', () => {
    const quoted = headings().flatMap((h) => [...h.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    expect(quoted.length).toBeGreaterThan(0);
    for (const code of quoted)
      expect({ code, known: source.includes(code.replace(/^AADSTS/, '')) }).toEqual({ code, known: true });
  });

  it('links to SECURITY.md', () => {
    expect(section('Troubleshooting')).toMatch(/\]\(SECURITY\.md(#[\w-]+)?\)/);
  });
});

describe('the README’s local run', () => {
  const tryIt = section('Try it: two commands');

  it('is `npm run local-action`, the devDependency, which never asks to install anything', () => {
    expect(tryIt).toContain('npm run local-action');
    expect(tryIt).not.toContain('npx @github/local-action');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    // scripts/local-action.ts runs the devDependency's own bin (and exits 1 when the action failed).
    expect(pkg.scripts['local-action']).toBe('tsx scripts/local-action.ts');
    expect(readFileSync(join(ROOT, 'scripts', 'local-action.ts'), 'utf8')).toContain(
      "join(ROOT, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js')",
    );
  });

  it('warns that `::add-mask::` lines carry real secrets when it is pointed at a real cloud', () => {
    expect(tryIt).toMatch(/real cloud[^]*real secrets/);
    expect(tryIt).toMatch(/`::add-mask::` lines, and each of those lines holds the secret itself/);
  });
});

describe('the README’s links', () => {
  it('point at files and sections that exist', () => {
    const slug = (heading: string) =>
      heading
        .toLowerCase()
        .replace(/[^\w\s-]/g, '')
        .replace(/\s/g, '-');
    const anchors = new Set([...readme.matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1]!)));
    for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^https?:/.test(target!)) continue;
      const [file, anchor] = target!.split('#');
      if (file) expect({ target, exists: existsSync(join(ROOT, file)) }).toEqual({ target, exists: true });
      if (!file && anchor) expect({ target, exists: anchors.has(anchor) }).toEqual({ target, exists: true });
    }
  });
});
