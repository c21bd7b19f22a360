// `report`'s input `prune: pull-request`: one pull request that removes the manifest rows nobody
// used for `unused-after`. It prunes on the last-use evidence, so it needs `last-used: true` (not
// implied: the step reads that evidence only when asked, and the CSV's columns show it); the
// manifests it removes rows from (`manifest`); and a `github-token` that may push a branch and open
// a pull request. Each combination that cannot prune is refused here, before any call. Pure.
import { printable, type InputReader, type Problems } from './fields.js';

export type PruneMode = 'pull-request';

/** What `prune` needs of the rest of the report's inputs. */
export interface PruneNeeds {
  lastUsed: boolean;
  manifests: readonly string[];
  githubToken: string;
}

export const PRUNE_PERMISSIONS = '`permissions: contents: write, pull-requests: write`';

export function parsePruneInputs(
  problems: Problems,
  read: InputReader,
  needs: PruneNeeds,
): { prune?: PruneMode } {
  const text = read('prune').trim();
  if (text === '') return {};
  if (text !== 'pull-request') {
    problems.add(
      'prune',
      `\`${printable(text)}\` is not \`pull-request\``,
      'use `prune: pull-request` (a pull request that removes the manifest rows nobody used), or leave it empty',
    );
    return {};
  }
  if (!needs.lastUsed)
    problems.add(
      'prune',
      'needs `last-used: true`: a row is pruned only on the evidence that nobody used it',
      'set `last-used: true` (and `unused-after`, the window, default `90d`), or remove `prune`',
    );
  if (needs.manifests.length === 0)
    problems.add(
      'manifest',
      'is empty: `prune: pull-request` removes rows from the manifests the report reads',
      'list the manifest file(s), e.g. `manifest: access/manifest.yml`, or remove `prune`',
    );
  if (needs.githubToken === '')
    problems.add(
      'github-token',
      'is empty: `prune: pull-request` opens its pull request through the GitHub REST API',
      `leave \`github-token\` unset (the job's \`github.token\`) and give the job ${PRUNE_PERMISSIONS}`,
    );
  return { prune: 'pull-request' };
}
