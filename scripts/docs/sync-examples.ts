// `npm run docs:examples`: the docs' copies of examples/ rewritten from the files. A fenced code
// block in README.md or docs/*.md whose first line is the comment `# examples/<path>` is that
// file: the comment line names it and is not part of it, and every line after it is the file's
// content, exactly. The tests play examples/ against the emulator, so the docs show what was
// tested; __tests__/docs/examples.test.ts fails, naming the block and this command, when a copy
// differs.
//
//   npm run docs:examples            # rewrite the blocks that differ
//   npm run docs:examples -- --check # only list them; exit 1 if any
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface ExampleBlock {
  /** The file the block copies, from the repository root (`examples/workflows/assign.yml`). */
  path: string;
  /** The markdown line of the block's `# examples/…` line. */
  line: number;
  /** The block's lines after that one, each ending with a newline. */
  body: string;
  /** Where the body starts and ends in the markdown. */
  start: number;
  end: number;
}

const BLOCK = /^(`{3,}|~{3,})[^\n]*\n# (examples\/[^\s]+)[ \t]*\n([\s\S]*?)^\1[ \t]*$/gm;

export function exampleBlocks(markdown: string): ExampleBlock[] {
  return [...markdown.matchAll(BLOCK)].map((m) => {
    const start = m.index + m[0].indexOf('\n# examples/') + 1;
    const bodyStart = markdown.indexOf('\n', start) + 1;
    return {
      path: m[2]!,
      line: markdown.slice(0, start).split('\n').length,
      body: m[3]!,
      start: bodyStart,
      end: bodyStart + m[3]!.length,
    };
  });
}

/** A file's content as a block's body: ending with one newline. */
export const asBody = (content: string): string => (content.endsWith('\n') ? content : `${content}\n`);

/** The markdown with each block's body replaced by its file's content. */
export function syncExamples(markdown: string, read: (path: string) => string): string {
  let out = '';
  let at = 0;
  for (const block of exampleBlocks(markdown)) {
    out += markdown.slice(at, block.start) + asBody(read(block.path));
    at = block.end;
  }
  return out + markdown.slice(at);
}

/** README.md and docs/*.md, from the repository root. */
export function documents(root = ROOT): string[] {
  const docs = join(root, 'docs');
  return [
    'README.md',
    ...(existsSync(docs)
      ? readdirSync(docs)
          .filter((f) => f.endsWith('.md'))
          .sort()
          .map((f) => `docs/${f}`)
      : []),
  ];
}

/** A file of examples/ by its path from the root; a path outside examples/ or missing throws. */
export function readExample(path: string, root = ROOT): string {
  const file = resolve(root, path);
  if (!file.startsWith(join(root, 'examples') + '/') || !existsSync(file))
    throw new Error(`${path} is not a file of examples/`);
  return readFileSync(file, 'utf8');
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const doc of documents()) {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    let synced: string;
    try {
      synced = syncExamples(text, (path) => readExample(path));
    } catch (error) {
      console.error(`${doc}: ${(error as Error).message}`);
      process.exit(1);
    }
    if (synced === text) continue;
    for (const block of exampleBlocks(text))
      if (block.body !== asBody(readExample(block.path))) stale.push(`${doc}:${block.line}: ${block.path}`);
    if (!check) writeFileSync(join(ROOT, doc), synced);
  }
  if (stale.length === 0) console.log('docs:examples: every copy of examples/ in the docs is the file');
  else
    console.log(`docs:examples: ${check ? 'differ' : 'rewrote'}:\n${stale.map((s) => `  ${s}`).join('\n')}`);
  if (check && stale.length > 0) process.exitCode = 1;
}
