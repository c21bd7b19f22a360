// What `npm run bench` measures: the bundle action.yml names (`runs.main`, `runs.post`, under
// dist/), or the same layout in $CLOUD_ACCESS_BUNDLE_DIR, which stands in for dist/ (as in the step
// runner the tests and scripts share, harness/action-runner.ts); and configure-aws-credentials'
// dist/ from $CAWC_BUNDLE, when given.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { ROOT } from './context.js';

export interface Bundle {
  /** The folder measured for size: dist/, or $CLOUD_ACCESS_BUNDLE_DIR in its place. */
  dir: string;
  main: string;
  post: string;
}

/** `runs.main` / `runs.post` of action.yml (paths from the repository root), and where they are in the bundle measured. */
export function locateBundle(): Bundle {
  const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  const runs = /^runs:[ \t]*\n((?:[ \t]+.*(?:\n|$)|[ \t]*\n)*)/m.exec(yml)?.[1] ?? '';
  const entry = (key: string) => {
    const path = new RegExp(`^[ \\t]+${key}:[ \\t]*['"]?([^'"\\s#]+)`, 'm').exec(runs)?.[1];
    if (!path) throw new Error(`action.yml has no runs.${key}`);
    return normalize(path);
  };
  const main = entry('main');
  const post = entry('post');
  const top = main.split('/')[0]!;
  if (!main.includes('/') || post.split('/')[0] !== top)
    throw new Error(
      `action.yml's runs.main (${main}) and runs.post (${post}) are not under one bundle folder`,
    );
  const override = process.env.CLOUD_ACCESS_BUNDLE_DIR;
  const dir = override ? resolve(ROOT, override) : join(ROOT, top);
  const inBundle = (path: string) => join(dir, relative(top, path));
  const bundle = { dir, main: inBundle(main), post: inBundle(post) };
  for (const file of [bundle.main, bundle.post])
    if (!existsSync(file)) throw new Error(`the bundle has no ${file}: build it (npm run package) first`);
  return bundle;
}

/** configure-aws-credentials' main step and its dist/, from $CAWC_BUNDLE (its dist/ or dist/index.js). */
export function locateCawc(): { main: string; dir: string; version: string } | undefined {
  const given = process.env.CAWC_BUNDLE;
  if (!given) return undefined;
  const path = resolve(given);
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'index.js') : path;
  if (!existsSync(file)) throw new Error(`CAWC_BUNDLE=${given}: no ${file}`);
  const manifest = join(dirname(file), '..', 'package.json');
  const version = existsSync(manifest)
    ? String((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? 'unknown')
    : 'unknown';
  return { main: file, dir: dirname(file), version };
}

export function filesUnder(dir: string): { path: string; bytes: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => {
      const path = join(d.parentPath, d.name);
      return { path: relative(dir, path), bytes: statSync(path).size };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** configure-aws-credentials, as located from $CAWC_BUNDLE. */
export type Cawc = NonNullable<ReturnType<typeof locateCawc>>;
