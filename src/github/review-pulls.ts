// The pull request a review opens at its due date, through the review's Octokit calls
// (./review-api.ts): the open pull request of its branch (reused while open), the branch made at the
// default branch's head commit, each manifest's new text committed on it (naming the blob it
// replaces: the default branch's copy, by git's blob hash; GitHub answers the commit and its
// parents), the pull request opened (with its head commit), and closed when that is not ours.
import { createHash } from 'node:crypto';

/** What a refusal's fix names: the permission each kind of call needs. */
export type Need = 'actions' | 'contents' | 'issues' | 'members' | 'pulls';

type Answer = { data: unknown; headers: Record<string, string | number | undefined> };
export type Call = (
  route: string,
  params: Record<string, unknown>,
  what: string,
  need: Need,
  missing?: boolean,
) => Promise<Answer | undefined>;

export interface PullRequestRef {
  number: number;
  url: string;
  /** The branch it goes into (a listed one's, as GitHub said). */
  base?: string;
}

export interface ReviewPullsApi {
  /** The open pull request whose head is `branch`, if any. */
  openPullOf(branch: string): Promise<PullRequestRef | undefined>;
  /** The latest pull request whose head is `branch`, open, merged or closed, if any. */
  anyPullOf(branch: string): Promise<PullRequestRef | undefined>;
  /** The paths an open pull request changes (GitHub lists at most 3,000). */
  pullFiles(number: number): Promise<string[]>;
  /** A file's text at `branch`'s head; undefined when the branch has no such file. */
  fileOn(branch: string, path: string): Promise<string | undefined>;
  /** Whether `branch` exists. */
  hasBranch(branch: string): Promise<boolean>;
  createBranch(branch: string, commit: string): Promise<void>;
  /** Commits `text` at `path` on `branch`, replacing the file whose text was `before`: the commit made. */
  commitFile(branch: string, path: string, text: string, before: string, message: string): Promise<Commit>;
  /** The pull request opened, with its head commit (`head.sha`) as GitHub opened it. */
  openPull(pull: {
    title: string;
    body: string;
    head: string;
    base: string;
  }): Promise<PullRequestRef & { headSha: string }>;
  closePull(number: number): Promise<void>;
}

/** A commit GitHub made, and the commits it was made on. */
export interface Commit {
  sha: string;
  parents: string[];
}

/** Git's blob hash of a file's text: what "Create or update file contents" names the file it replaces by. */
export const gitBlobSha = (text: string): string => {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
};

const pullOf = (raw: unknown): PullRequestRef => {
  const p = raw as { number: number; html_url: string; base?: { ref?: string } };
  return { number: p.number, url: p.html_url, base: String(p.base?.ref) };
};

export function pullsOver(call: Call, owner: string): ReviewPullsApi {
  // GitHub lists a head's pull requests newest first.
  const firstPull = async (branch: string, state: 'open' | 'all') => {
    const answer = await call(
      'GET /repos/{owner}/{repo}/pulls',
      { head: `${owner}:${branch}`, state, per_page: 1 },
      `list the pull requests of \`${branch}\``,
      'pulls',
    );
    const first = (answer?.data as unknown[] | undefined)?.[0];
    return first ? pullOf(first) : undefined;
  };
  return {
    openPullOf: (branch) => firstPull(branch, 'open'),
    anyPullOf: (branch) => firstPull(branch, 'all'),
    pullFiles: (number) => pullFilesOf(call, number),
    fileOn: (branch, path) => fileOnBranch(call, branch, path),
    hasBranch: async (branch) =>
      (await call(
        'GET /repos/{owner}/{repo}/git/ref/{ref}',
        { ref: `heads/${branch}` },
        `read the branch \`${branch}\``,
        'contents',
        true,
      )) !== undefined,
    createBranch: async (branch, commit) =>
      void (await call(
        'POST /repos/{owner}/{repo}/git/refs',
        { ref: `refs/heads/${branch}`, sha: commit },
        `create the branch \`${branch}\``,
        'contents',
      )),
    commitFile: async (branch, path, text, before, message) => {
      const { commit } = (await call(
        'PUT /repos/{owner}/{repo}/contents/{path}',
        {
          path,
          branch,
          message,
          content: Buffer.from(text, 'utf8').toString('base64'),
          sha: gitBlobSha(before),
        },
        `commit \`${path}\` on \`${branch}\``,
        'contents',
      ))!.data as { commit?: { sha?: string; parents?: { sha: string }[] } };
      return { sha: String(commit?.sha), parents: commit?.parents?.map((p) => p.sha) ?? [] };
    },
    openPull: async ({ title, body, head, base }) => {
      const data = (await call(
        'POST /repos/{owner}/{repo}/pulls',
        { title, body, head, base },
        'open the pull request that removes the manifest’s rows',
        'pulls',
      ))!.data as { head?: { sha?: string } };
      return { ...pullOf(data), headSha: String(data.head?.sha) };
    },
    closePull: async (number) =>
      void (await call(
        'PATCH /repos/{owner}/{repo}/pulls/{pull_number}',
        { pull_number: number, state: 'closed' },
        `close pull request #${number}`,
        'pulls',
      )),
  };
}

/** The paths an open pull request changes, page by page. */
async function pullFilesOf(call: Call, number: number): Promise<string[]> {
  const paths: string[] = [];
  // 30 pages of 100: GitHub's own limit on the files it lists.
  for (let page = 1; page <= 30; page++) {
    const answer = await call(
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
      { pull_number: number, per_page: 100, page },
      `list the files of pull request #${number}`,
      'pulls',
    );
    const files = (answer?.data as { filename?: unknown }[] | undefined) ?? [];
    paths.push(...files.map((f) => String(f.filename)));
    if (!/rel="next"/.test(String(answer?.headers.link ?? ''))) break;
  }
  return paths;
}

/** A file's text at a branch's head, as "Get repository content" sends it (base64). */
async function fileOnBranch(call: Call, branch: string, path: string): Promise<string | undefined> {
  const answer = await call(
    'GET /repos/{owner}/{repo}/contents/{path}',
    { path, ref: branch },
    `read \`${path}\` on \`${branch}\``,
    'contents',
    true,
  );
  const file = answer?.data as { type?: unknown; encoding?: unknown; content?: unknown } | undefined;
  if (file?.type !== 'file' || file.encoding !== 'base64' || typeof file.content !== 'string')
    return undefined;
  return Buffer.from(file.content, 'base64').toString('utf8');
}
