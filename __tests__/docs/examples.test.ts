// The docs' copies of examples/ (a code block whose first line is `# examples/<path>`) are the
// files the tests play against the emulator, exactly; `npm run docs:examples` rewrites them.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  asBody,
  documents,
  exampleBlocks,
  readExample,
  syncExamples,
} from '../../scripts/docs/sync-examples.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('a copy of an example in the docs', () => {
  it('is a code block whose first line names the file; the lines after it are the file', () => {
    const markdown = [
      'Text.', // 1
      '```yaml', // 2
      '# examples/workflows/a.yml', // 3
      'name: old',
      '```',
      '',
      '```yaml',
      '# access/manifest.yml', // a comment, not a copy
      'version: 1',
      '```',
      '````md',
      '# examples/b.md', // 12
      '```',
      'nested',
      '```',
      '````',
      '',
    ].join('\n');
    expect(exampleBlocks(markdown).map((b) => [b.path, b.line, b.body])).toEqual([
      ['examples/workflows/a.yml', 3, 'name: old\n'],
      ['examples/b.md', 12, '```\nnested\n```\n'],
    ]);
    const files: Record<string, string> = {
      'examples/workflows/a.yml': 'name: new\non: push\n',
      'examples/b.md': 'x',
    };
    const synced = syncExamples(markdown, (path) => files[path]!);
    expect(synced).toContain('```yaml\n# examples/workflows/a.yml\nname: new\non: push\n```\n');
    expect(synced).toContain('````md\n# examples/b.md\nx\n````\n');
    expect(synced).toContain('# access/manifest.yml\nversion: 1\n');
    expect(syncExamples(synced, (path) => files[path]!)).toBe(synced);
  });

  it('names only files of examples/', () => {
    expect(() => readExample('package.json')).toThrow('package.json is not a file of examples/');
    expect(() => readExample('examples/../package.json')).toThrow('is not a file of examples/');
    expect(() => readExample('examples/workflows/nope.yml')).toThrow('is not a file of examples/');
  });

  it('is, in README.md and docs/*.md, exactly the file it names (fix: npm run docs:examples)', () => {
    const stale: string[] = [];
    const copied = new Set<string>();
    for (const doc of documents(ROOT)) {
      for (const block of exampleBlocks(readFileSync(join(ROOT, doc), 'utf8'))) {
        copied.add(block.path);
        if (!existsSync(join(ROOT, block.path)))
          stale.push(`${doc}:${block.line}: ${block.path} does not exist`);
        else if (block.body !== asBody(readExample(block.path, ROOT)))
          stale.push(`${doc}:${block.line}: differs from ${block.path}; run npm run docs:examples`);
      }
    }
    expect(stale).toEqual([]);
    // Every example users are shown in the README or docs/, and each is played by the tests.
    expect([...copied].sort()).toEqual(
      expect.arrayContaining([
        'examples/access/manifest.yml',
        'examples/workflows/assign.yml',
        'examples/workflows/azure-assign.yml',
        'examples/workflows/ephemeral.yml',
        'examples/workflows/provision.yml',
        'examples/workflows/reconcile-apply.yml',
        'examples/workflows/reconcile-drift.yml',
        'examples/workflows/reconcile-plan.yml',
        'examples/workflows/request-access.yml',
        'examples/workflows/sweep.yml',
      ]),
    );
  });
});
