// Run first by `npm test`, `npm run test:unit` and `npm run demo`: they need the Node major in
// .node-version (the action's runtime, `runs.using: node24`). `npm run` puts the `node`
// devDependency first on the PATH, but that package gets its binary from its install script, and an
// install that ran no install scripts (`npm ci --ignore-scripts`, or an npm that skips them until
// they are approved) leaves it without one: `npm run` then falls back to the machine's Node, and
// the tests and the demo would quietly run on another runtime than the action's. This stops them
// first, saying how to fix it. Plain JavaScript that any Node since 16 runs, since an old Node is
// exactly where it must work.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = Number(readFileSync(join(root, '.node-version'), 'utf8').trim().split('.')[0]);
const running = process.versions.node;

if (Number(running.split('.')[0]) < wanted) {
  const dependency = join(root, 'node_modules', 'node');
  const lines = [
    `This project runs on Node ${wanted} (.node-version), but this is Node ${running} (${process.execPath}).`,
  ];
  if (!existsSync(dependency)) {
    lines.push(
      `Install first: \`npm ci\`. Its \`node\` devDependency is Node ${wanted}, which \`npm run\` puts first on the PATH.`,
    );
  } else if (!existsSync(join(dependency, 'bin', 'node'))) {
    lines.push(
      'The `node` devDependency, which `npm run` puts first on the PATH, has no binary: its install script did not run',
      '(`npm ci --ignore-scripts`, or an npm that runs no install script it was not told to allow). To fix it:',
      '  npm rebuild node                      # runs that install script now',
      'and where npm refuses to run install scripts until they are approved:',
      '  npm install-scripts approve node && npm rebuild node',
    );
  } else {
    lines.push(
      `Run it with \`npm run\`, which puts the \`node\` devDependency (Node ${wanted}) first on the PATH.`,
    );
  }
  lines.push(`Or run Node ${wanted} yourself (nvm, fnm and Volta read .node-version).`);
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}
