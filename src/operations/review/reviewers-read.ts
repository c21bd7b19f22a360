// The reviewers file of a review, read at the default branch's head through the API (never the
// workspace's copy, never the branch a pull request runs on: a branch cannot choose who reviews
// it), and parsed; every problem at its line stops the step before any GitHub write or cloud read.
import { CloudAccessError } from '../../core/errors.js';
import type { Stopped } from '../../core/output/stopped.js';
import { parseReviewersFile, type ReviewersFile } from './model/reviewers-file.js';
import type { ReviewApi } from '../../github/review-api.js';

export type ReviewersRead =
  { file: ReviewersFile; where: string; defaultBranch: string } | { stopped: Stopped };

export async function readReviewers(
  api: Pick<ReviewApi, 'fileAtHead'>,
  path: string,
): Promise<ReviewersRead> {
  const head = await api.fileAtHead(path);
  const where = `${path}@${head.commit.slice(0, 12)} (default branch ${head.defaultBranch})`;
  if (head.text === undefined)
    return {
      stopped: {
        refused: [
          new CloudAccessError(
            `the reviewers file \`${path}\` is not on the default branch \`${head.defaultBranch}\``,
            {
              input: 'reviewers',
              fix: 'commit it to the default branch (a branch cannot choose who reviews it), or set `reviewers` to its path',
            },
          ),
        ],
      },
    };
  const parsed = parseReviewersFile(head.text);
  if (!('file' in parsed))
    return {
      stopped: {
        invalid: {
          what: 'reviewers file',
          file: where,
          problems: parsed.problems,
          headline: 'invalid reviewers file; no issue was opened or updated and no cloud was read',
        },
      },
    };
  return { file: parsed.file, where, defaultBranch: head.defaultBranch };
}
