// `npm test`, `npm run test:unit` and `npm run demo` start with scripts/check-node.mjs: on a Node
// older than .node-version's (the machine's own, when the `node` devDependency has no binary after
// `npm ci --ignore-scripts`) they stop at once and say how to fix it, instead of running the tests
// and the demo on another runtime than the action's.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const wanted = readFileSync(join(ROOT, '.node-version'), 'utf8').trim();

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A checkout with the check and .node-version, and the `node` devDependency as `install` leaves it. */
function checkout(install: 'none' | 'without binary' | 'with binary'): string {
  const root = mkdtempSync(join(tmpdir(), 'check-node-'));
  folders.push(root);
  mkdirSync(join(root, 'scripts'));
  copyFileSync(join(ROOT, 'scripts', 'check-node.mjs'), join(root, 'scripts', 'check-node.mjs'));
  copyFileSync(join(ROOT, '.node-version'), join(root, '.node-version'));
  if (install !== 'none') {
    // What `npm ci --ignore-scripts` leaves: the package's files, not the binary its install script adds.
    mkdirSync(join(root, 'node_modules', 'node', 'bin'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'node', 'package.json'), '{"name":"node"}');
    if (install === 'with binary') writeFileSync(join(root, 'node_modules', 'node', 'bin', 'node'), '');
  }
  return root;
}

/** Runs the check in `root` on this Node, which calls itself `version`. */
function check(root: string, version: string) {
  const pretend = `Object.defineProperty(process.versions, 'node', { value: ${JSON.stringify(version)} });`;
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      `data:text/javascript,${encodeURIComponent(pretend)}`,
      join(root, 'scripts', 'check-node.mjs'),
    ],
    { encoding: 'utf8' },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the Node check before the tests and the demo', () => {
  it('says nothing and lets them run on the Node of .node-version or newer', () => {
    expect(check(checkout('with binary'), `${wanted}.0.0`)).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(check(checkout('with binary'), `${Number(wanted) + 1}.2.3`).status).toBe(0);
  });

  it('stops on an older Node when the `node` devDependency has no binary, with the commands that install it', () => {
    const run = check(checkout('without binary'), '20.20.2');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `This project runs on Node ${wanted} (.node-version), but this is Node 20.20.2`,
    );
    expect(run.stderr).toContain('its install script did not run');
    expect(run.stderr).toContain('npm rebuild node');
    expect(run.stderr).toContain('npm install-scripts approve node && npm rebuild node');
  });

  it('stops on an older Node before any install, saying to run `npm ci`', () => {
    const run = check(checkout('none'), '22.1.0');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Install first: `npm ci`');
  });

  it('stops on an older Node outside `npm run`, saying to use it', () => {
    const run = check(checkout('with binary'), '18.0.0');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Run it with `npm run`');
  });

  it('runs first in `npm test`, `npm run test:unit` and `npm run demo`', () => {
    for (const script of ['test', 'test:unit', 'demo'])
      expect([script, pkg.scripts[script]]).toEqual([
        script,
        expect.stringMatching(/^node scripts\/check-node\.mjs && /),
      ]);
  });
});

describe('one Node major everywhere', () => {
  it('.node-version (the workflows’ setup-node), engines, the `node` devDependency and action.yml agree', () => {
    expect(wanted).toMatch(/^\d+$/);
    expect(pkg.engines.node).toBe(`>=${wanted}`);
    expect(pkg.devDependencies.node).toMatch(new RegExp(`^\\^${wanted}\\.`));
    expect(readFileSync(join(ROOT, 'action.yml'), 'utf8')).toMatch(
      new RegExp(`^ {2}using: node${wanted}$`, 'm'),
    );
  });
});
