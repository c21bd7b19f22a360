// One write path (order, concurrency, deadline and effects in one place): no src file outside src/engine/run/ runs writes in a loop of its own;
// what a write and a write loop are is said, and read, in ./write-loops.ts.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT, sourceFiles } from './source-files.js';
import { writeLoops } from './write-loops.js';

/** Sources of a made-up repository, each file by its path from the root. */
const PROBE: Record<string, string> = {
  'src/engine/calls/driver.ts': `
    export interface GrantDriver { create(id: string): Promise<void>; remove(id: string): Promise<void>; findExisting(id: string): Promise<void> }`,
  'src/engine/limits/limits.ts': `
    export async function mapWithConcurrency<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
      return Promise.all(items.map(task));
    }`,
  'src/adapter/one-write.ts': `
    import type { GrantDriver } from '../engine/calls/driver.js';
    /** One write, two files from the loop that makes it. */
    export const provisionOne = (driver: GrantDriver, id: string) => driver.create(id);`,
  'src/adapter/loops.ts': `
    import type { GrantDriver } from '../engine/calls/driver.js';
    import { mapWithConcurrency } from '../engine/limits/limits.js';
    import { provisionOne } from './one-write.js';
    export async function inTurn(driver: GrantDriver, ids: string[]) {
      for (const id of ids) await driver.create(id);
    }
    export const atOnce = (driver: GrantDriver, ids: string[]) => Promise.all(ids.map((id) => driver.remove(id)));
    async function removeOne(driver: GrantDriver, id: string) { await driver.remove(id); }
    export const throughLocal = (driver: GrantDriver, ids: string[]) =>
      mapWithConcurrency(ids, 2, (id) => removeOne(driver, id));
    export async function throughImport(driver: GrantDriver, ids: string[]) {
      for (const id of ids) await provisionOne(driver, id);
    }
    class Cloud implements GrantDriver {
      async create(_: string) {}
      async remove(_: string) {}
      async findExisting(_: string) {}
    }
    export async function throughItsClass(ids: string[]) {
      const cloud = new Cloud();
      for (const id in ids) await cloud.remove(id);
    }`,
  'src/adapter/not-loops.ts': `
    import type { GrantDriver } from '../engine/calls/driver.js';
    export async function retried(driver: GrantDriver, id: string) {
      for (let attempt = 1; attempt <= 3; attempt++) {
        try { await driver.create(id); return; } catch { continue; }
      }
    }
    export async function reads(driver: GrantDriver, ids: string[]) {
      for (const id of ids) await driver.findExisting(id);
    }
    export const planned = (ids: string[]) => ids.map((id) => ({ kind: 'x', change: 'create', item: id }));
    export const writers = (driver: GrantDriver, ids: string[]) =>
      ids.map((id) => ({ write: () => driver.create(id) }));`,
  'src/engine/run/run-writes.ts': `
    import type { GrantDriver } from '../calls/driver.js';
    export async function runWrites(driver: GrantDriver, ids: string[]) {
      for (const id of ids) await driver.create(id);
    }`,
};

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The write loops of the sources `files`, written to a folder of their own. */
function loopsOf(files: Record<string, string>): string[] {
  const root = mkdtempSync(join(tmpdir(), 'write-loops-'));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return writeLoops(root, Object.keys(files));
}

describe('one write path', () => {
  it('finds a write loop: writes in a for…of or for…in, in an array’s map, or handed to mapWithConcurrency, however deep', () => {
    expect(loopsOf(PROBE)).toEqual([
      'src/adapter/loops.ts:6',
      'src/adapter/loops.ts:8',
      'src/adapter/loops.ts:11',
      'src/adapter/loops.ts:13',
      'src/adapter/loops.ts:22',
    ]);
  });

  it('no src file outside src/engine/run/ runs writes in a loop of its own', () => {
    expect(writeLoops(ROOT, sourceFiles('src', /\.ts$/))).toEqual([]);
  });
});
