// `npm run demo` as a first-time user pipes it (to a file, to `less`, in CI): plain text, the job
// summary rendered as text, one step's `results`, and a word that real writes take longer.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const ROOT = join(import.meta.dirname, '..', '..');

describe('npm run demo, with stdout piped', () => {
  it('prints no ANSI codes, the job summary as text and the results output', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'demo.ts')],
      { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
    );
    expect(stdout).not.toContain('\x1b[');
    expect(stdout).toMatch(/Real writes take longer/);
    expect(stdout).toContain('job summary (rendered as text):');
    expect(stdout).toMatch(/Principal \| Target \| Role \|/);
    expect(stdout).not.toMatch(/<\/?(table|tr|td|th|h\d|p)\b/);
    expect(stdout).toContain('outputs.results:');
    expect(stdout).toMatch(/"status": "SUCCEEDED"/);
  }, 150_000);
});
