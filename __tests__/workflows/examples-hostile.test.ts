// The example workflows as a requester who is not to be trusted uses them: examples/ is copied into
// production unchanged, so what a `workflow_dispatch` input carries must stay text, and a request
// must not come out as more access than it asks for.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { seedExamples } from '../../emulator/examples-seed.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'workflows');

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, awsWriteDelayMs: 20 });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  seedExamples(emulator);
});

describe('the reconcile workflows, set up as their comments say', () => {
  // What the job's OIDC token says it is (its `sub`), which the role's trust policy or the app's
  // federated credential must name: the environment's, a pull request's, or the branch's.
  const subjectOf = (text: string): string => {
    const environment = /^\s+environment:\s*(\S+)/m.exec(text)?.[1];
    if (environment) return `repo:octo-org/octo-repo:environment:${environment}`;
    if (/^\s+pull_request:/m.test(text)) return 'repo:octo-org/octo-repo:pull_request';
    return 'repo:octo-org/octo-repo:ref:refs/heads/main';
  };

  it.each(['reconcile-plan.yml', 'reconcile-apply.yml', 'reconcile-drift.yml'])(
    '%s names, beside the role it assumes, the subject its token carries',
    (file) => {
      const text = readFileSync(join(EXAMPLES, file), 'utf8');
      const lines = text.split('\n');
      const at = lines.findIndex((l) => l.includes('role-to-assume:'));
      const comment = lines
        .slice(0, at)
        .reverse()
        .filter((_, i, above) => above.slice(0, i + 1).every((l) => l.trim().startsWith('#')))
        .reverse()
        .join(' ');
      expect(comment).toContain(subjectOf(text));
    },
  );
});
