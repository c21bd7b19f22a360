// `npm run docs:modes`: every list of the action's local modes written from the one list,
// scripts/emulator/local-modes.ts, which `npm run emulator:start` writes .emulator/<mode>.env from:
// the region between `<!-- local-modes -->` and `<!-- /local-modes -->` in README.md and
// docs/local-run.md, the one between `# <local-modes>` and `# </local-modes>` in .env.example, and
// one example per mode in examples/local/ (scripts/emulator/mode-examples.ts).
// __tests__/docs/modes.test.ts fails, naming this command, when one of them differs.
//
//   npm run docs:modes            # rewrite what differs (and remove an example of no mode)
//   npm run docs:modes -- --check # only list it; exit 1 if any
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LocalMode } from '../emulator/local-modes.js';
import { examplePath, exampleModes, MODE_EXAMPLES_DIR, modeExampleFile } from '../emulator/mode-examples.js';

const ROOT = join(import.meta.dirname, '..', '..');

const command = (mode: LocalMode) => `npm run local-action -- .emulator/${mode.name}.env`;

/** A markdown table as prettier writes it: each column as wide as its widest cell. */
function markdownTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** Each file's region, from the modes. */
const REGIONS: Record<string, { begin: string; end: string; render: (modes: LocalMode[]) => string[] }> = {
  'README.md': {
    begin: '<!-- local-modes -->',
    end: '<!-- /local-modes -->',
    render: (modes) => {
      const width = Math.max(...modes.map((m) => command(m).length));
      return [
        '',
        '```sh',
        `${'npm run emulator:start'.padEnd(width)}  # the emulator in the background; a .env per mode`,
        ...modes.map((m) => `${command(m).padEnd(width)}  # ${m.title}`),
        'npm run emulator:stop',
        '```',
        '',
      ];
    },
  },
  'docs/local-run.md': {
    begin: '<!-- local-modes -->',
    end: '<!-- /local-modes -->',
    render: (modes) => [
      '',
      ...markdownTable(
        ['mode', 'command', 'inputs of your own: start from'],
        modes.map((m) => [m.title, `\`${command(m)}\``, `[\`${examplePath(m)}\`](../${examplePath(m)})`]),
      ),
      '',
    ],
  },
  '.env.example': {
    begin: '# <local-modes>',
    end: '# </local-modes>',
    render: (modes) => {
      const width = Math.max(...modes.map((m) => examplePath(m).length));
      return modes.map((m) => `#   ${examplePath(m).padEnd(width)}  ${m.title}`);
    },
  },
};

/** The text with its region rewritten; undefined when it has no region (or a broken one). */
export function syncRegion(path: string, text: string, modes = exampleModes()): string | undefined {
  const region = REGIONS[path];
  if (!region) return undefined;
  const lines = text.split('\n');
  const begin = lines.indexOf(region.begin);
  const end = lines.indexOf(region.end, begin + 1);
  if (begin < 0 || end < 0) return undefined;
  return [...lines.slice(0, begin + 1), ...region.render(modes), ...lines.slice(end)].join('\n');
}

/** Every file the modes write, by its path from the root, with the text it must have. */
export function modeFiles(root = ROOT): Map<string, string> {
  const modes = exampleModes();
  const files = new Map<string, string>();
  for (const path of Object.keys(REGIONS)) {
    const synced = syncRegion(path, readFileSync(join(root, path), 'utf8'), modes);
    if (synced === undefined) {
      const { begin, end } = REGIONS[path]!;
      throw new Error(`${path} has no region between the lines ${begin} and ${end}`);
    }
    files.set(path, synced);
  }
  for (const mode of modes) files.set(examplePath(mode), modeExampleFile(mode));
  return files;
}

/** The files of examples/local/ that are no mode's example. */
export function strayExamples(root = ROOT): string[] {
  const dir = join(root, MODE_EXAMPLES_DIR);
  const wanted = new Set(exampleModes().map(examplePath));
  return existsSync(dir)
    ? readdirSync(dir)
        .map((f) => `${MODE_EXAMPLES_DIR}/${f}`)
        .filter((p) => !wanted.has(p))
    : [];
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  const check = process.argv.includes('--check');
  const files = modeFiles();
  const differ = [...files].filter(([path, text]) => {
    const file = join(ROOT, path);
    return !existsSync(file) || readFileSync(file, 'utf8') !== text;
  });
  const stray = strayExamples();
  if (!check) {
    mkdirSync(join(ROOT, MODE_EXAMPLES_DIR), { recursive: true });
    for (const [path, text] of differ) writeFileSync(join(ROOT, path), text);
    for (const path of stray) rmSync(join(ROOT, path));
  }
  const said = [
    ...differ.map(([path]) => path),
    ...stray.map((p) => `${p} (no mode's${check ? '' : ': removed'})`),
  ];
  if (said.length === 0) console.log('docs:modes: every list of the modes is the one in local-modes.ts');
  else console.log(`docs:modes: ${check ? 'differ' : 'rewrote'}:\n${said.map((s) => `  ${s}`).join('\n')}`);
  if (check && said.length > 0) process.exitCode = 1;
}
