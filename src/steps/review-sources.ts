// `operation: review`'s sources: GitHub's API with `github-token` on the run's repository (the
// reviewers file, the campaign's issues), the report's sources for the cloud's read (signed in
// only once the reviewers file is read and valid), the grants' session that revokes rows at the
// due date, and RUNNER_TEMP for the `review` JSON.
// ./sessions.ts loads this module with import() for a review only.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRepositoryFor } from '../core/run-context.js';
import type { AdapterSettings, ConfigOf } from '../core/inputs/index.js';
import { Deadline } from '../engine/limits/deadline.js';
import { info, mask } from '../github/log.js';
import type { ReviewSources } from '../operations/review/index.js';
import { loadAdapterOf } from './adapter-loader.js';
import { reportSources } from './operation-sessions.js';
import { openMainGround } from './sign-in.js';

export function reviewSources(config: ConfigOf<'review'>, settings: AdapterSettings): ReviewSources {
  const deadline = new Deadline(config.timeoutSeconds);
  return {
    ...reportSources({ ...config, operation: 'report' }, settings),
    github: async () => {
      const repository = runRepositoryFor(config.run, 'review');
      mask(config.review.githubToken);
      const { githubReviewApi } = await import('../github/review-api.js');
      return githubReviewApi({ token: config.review.githubToken, repository, deadline, say: info });
    },
    // At the due date: signed in as a revoke is (its driver, with `end-sessions`; `audit-log`'s trail).
    openGrants: async (signal) => {
      const { deps, audit } = await openMainGround(config, settings, { signal });
      return {
        deadline: deps.deadline,
        activity: deps.activity,
        ...(audit ? { audit } : {}),
        ...(await (await loadAdapterOf(settings)).driver(deps)),
      };
    },
    writeRecord: async (json) => {
      const folder = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'cloud-access-review-'));
      const path = join(folder, 'access-review.json');
      await writeFile(path, json, 'utf8');
      return path;
    },
  };
}
