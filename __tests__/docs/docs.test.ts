// README.md and docs/ are what users copy from: their workflow examples must be valid YAML in the
// block style they will edit, with account IDs that survive YAML; their permission lists must be
// complete; their troubleshooting must quote errors the source really raises; and every link
// between them must lead somewhere.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { CONTROL_CALLS } from '../../emulator/control-calls.js';
import { parseYaml } from '../../scripts/workflows/play-workflow.js';
import { userDocs } from '../../scripts/workflows/readme-workflows.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const docs = userDocs(ROOT);

/** The fenced blocks in `lang` of one Markdown text, with the line each starts on. */
function blocks(markdown: string, lang: string): { line: number; text: string }[] {
  return [...markdown.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```', 'gm'))].map((m) => ({
    line: markdown.slice(0, m.index).split('\n').length,
    text: m[1]!,
  }));
}

/** Every doc's blocks in `lang`, each named by its file. */
const allBlocks = (lang: string) =>
  docs.flatMap((doc) => blocks(doc.text, lang).map((b) => ({ path: doc.path, ...b })));

describe('the workflow examples of the README and docs/', () => {
  const yamlBlocks = allBlocks('yaml');

  it('are there', () => {
    expect(yamlBlocks.filter((b) => b.path === 'README.md').length).toBeGreaterThanOrEqual(6);
    expect(yamlBlocks.length).toBeGreaterThan(15);
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
        .map((text, i) => ({ at: `${block.path}:${block.line + 1 + i}`, text }))
        .filter(({ text }) => /[{]|\[\s*\{/.test(text.replace(/#.*$/, '')));
      expect(flow).toEqual([]);
    }
  });

  it('quote AWS account IDs in `target:`, so a leading zero is never lost', () => {
    for (const block of yamlBlocks) {
      const unquoted = block.text
        .split('\n')
        .map((text, i) => ({ at: `${block.path}:${block.line + 1 + i}`, text }))
        .filter(({ text }) => /^[\s-]*target:\s*\d/.test(text));
      expect(unquoted).toEqual([]);
    }
  });
});

describe('the permissions docs/ lists', () => {
  const json = () => allBlocks('json').map((b) => JSON.parse(b.text) as unknown);

  it('give the provision policy as a complete IAM policy document', () => {
    // The apply role's permission-set writes provision too: the provision policy is the other one.
    const policies = (json() as { Version?: string; Statement?: { Action?: string[] }[] }[]).filter(
      (p) =>
        p.Statement?.some((s) => s.Action?.includes('sso:ProvisionPermissionSet')) &&
        !p.Statement.some((s) => s.Action?.includes('sso:CreatePermissionSet')),
    );
    expect(policies).toHaveLength(1);
    expect(policies[0]).toMatchObject({ Version: '2012-10-17', Statement: expect.any(Array) });
  });

  // What ARM checks on each PIM call the action makes (src/azure/sdk/arm-permissions.ts permissionFor).
  const PIM_ACTIONS = [
    'roleAssignmentScheduleRequests/write',
    'roleAssignmentScheduleRequests/read',
    'roleAssignmentScheduleRequests/cancel/action',
    'roleAssignmentScheduleInstances/read',
    'roleAssignmentSchedules/read',
    'roleManagementPolicyAssignments/read',
  ];

  it('hold every action Azure `duration` needs in one custom role, with the roleAssignments actions PIM also checks', () => {
    const roles = (json() as { IsCustom?: boolean; Actions?: string[] }[]).filter(
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

  it("agree with SECURITY.md's capability table on what Azure `duration` needs", () => {
    const row = read('SECURITY.md')
      .split('\n')
      .find((line) => line.startsWith('| `duration` (Azure)'));
    expect(row).toBeDefined();
    for (const action of PIM_ACTIONS) {
      const [type, ...verb] = action.split('/');
      expect(row).toContain(`\`${type}\``);
      expect(row).toContain(verb[0] === 'cancel' ? 'cancel' : verb[0]);
    }
  });
});

describe('docs/troubleshooting.md', () => {
  const page = read('docs/troubleshooting.md');
  const headings = () => [...page.matchAll(/^## (.*)$/gm)].map((m) => m[1]!);

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
    expect(page).toMatch(/\]\(\.\.\/SECURITY\.md(#[\w-]+)?\)/);
  });
});

describe('docs/local-run.md', () => {
  const page = read('docs/local-run.md');

  it('is `npm run local-action`, the devDependency, which never asks to install anything', () => {
    expect(page).toContain('npm run local-action');
    expect(page).not.toContain('npx @github/local-action');
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    // scripts/emulator/local-action.ts runs the devDependency's own entry (and exits 1 when the action failed).
    expect(pkg.scripts['local-action']).toBe('tsx scripts/emulator/local-action.ts');
    const script = readFileSync(join(ROOT, 'scripts', 'emulator', 'local-action.ts'), 'utf8');
    expect(script).toContain("join(ROOT, 'node_modules', '@github', 'local-action')");
    expect(script).toContain("join(LOCAL_ACTION, 'src', 'index.ts')");
  });

  it('stages an orphaned grant with the body --help shows, and runs the sweep-plan mode the emulator writes', () => {
    const example = CONTROL_CALLS.find((c) => c.route === 'POST /_emulator/aws/orphaned-grant')!.examples![0];
    expect(page).toContain(`-d '${JSON.stringify(example)}'`);
    expect(page).toContain('npm run local-action -- .emulator/sweep-plan.env');
    expect(read('scripts/emulator/local-modes.ts')).toContain("name: 'sweep-plan'");
  });

  it('warns that `::add-mask::` lines carry real secrets when it is pointed at a real cloud', () => {
    expect(page).toMatch(/real cloud[^]*real secrets/);
    expect(page).toMatch(/`::add-mask::` lines, and each of those lines holds the secret itself/);
  });
});

/** The text without its fenced blocks, whose `#` lines are no headings. */
const withoutFences = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, '');

/** The text without fenced blocks or code spans, whose brackets are no links. */
const withoutCode = (markdown: string) => withoutFences(markdown).replace(/`[^`\n]*`/g, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** The anchors of a Markdown text's headings, a repeated one suffixed `-1`, `-2` as GitHub does. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const [, heading] of withoutFences(markdown).matchAll(/^#{1,6} (.*)$/gm)) {
    const base = slug(heading!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    found.add(count === 0 ? base : `${base}-${count}`);
  }
  return found;
}

describe('the links of the README, docs/, SECURITY.md and CONTRIBUTING.md', () => {
  const linking = [
    ...docs,
    ...['SECURITY.md', 'CONTRIBUTING.md'].map((path) => ({ path, text: read(path) })),
  ];

  it('point at files, and at headings of Markdown files, that exist', () => {
    let checked = 0;
    for (const doc of linking)
      for (const [, target] of withoutCode(doc.text).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue; // https:, mailto:
        const [file, anchor] = target!.split('#');
        const path = file ? normalize(join(dirname(doc.path), file)) : doc.path;
        const link = { in: doc.path, target };
        expect({ ...link, inRepository: !relative(ROOT, join(ROOT, path)).startsWith('..') }).toEqual({
          ...link,
          inRepository: true,
        });
        expect({ ...link, exists: existsSync(join(ROOT, path)) }).toEqual({ ...link, exists: true });
        if (anchor && path.endsWith('.md') && statSync(join(ROOT, path)).isFile())
          expect({ ...link, anchor: anchors(read(path)).has(anchor) }).toEqual({ ...link, anchor: true });
        checked++;
      }
    expect(checked).toBeGreaterThan(40);
  });

  it('are checked against GitHub’s anchors, punctuation dropped and repeats numbered', () => {
    expect([...anchors('# A / b: `c` (d)\n## Twice\n## Twice\n```\n# not a heading\n```\n')]).toEqual([
      'a--b-c-d',
      'twice',
      'twice-1',
    ]);
  });
});
