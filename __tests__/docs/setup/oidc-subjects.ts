// The OIDC subject (`sub`) a workflow's job presents, by GitHub's rules for its default subject
// template (GitHub Docs, "About security hardening with OpenID Connect", example subject claims):
// a job with `environment: X` presents `environment:X` whatever its event; otherwise a pull request
// presents `pull_request`, and a push, schedule or workflow_dispatch the ref it runs on
// (`ref:refs/heads/<branch>`, `ref:refs/tags/<tag>`). Subjects here are what follows
// `repo:<owner>/<repo>:`.

/** The branch a schedule runs on, and the one branch the recipes' workflow_dispatch is trusted on. */
export const DEFAULT_BRANCH = 'main';

export interface Workflow {
  on: unknown;
  jobs: Record<string, Job>;
}

export interface Job {
  environment?: string | { name: string };
  steps?: { uses?: string; with?: Record<string, unknown> }[];
}

/** The events of `on:` with their filters (`{}` when the event has none). */
function eventsOf(on: unknown): Record<string, Record<string, unknown>> {
  if (typeof on === 'string') return { [on]: {} };
  if (Array.isArray(on)) return Object.fromEntries(on.map((event: string) => [event, {}]));
  return Object.fromEntries(
    Object.entries(on as Record<string, unknown>).map(([event, filters]) => [
      event,
      filters !== null && typeof filters === 'object' && !Array.isArray(filters)
        ? (filters as Record<string, unknown>)
        : {},
    ]),
  );
}

/** A filter's names, refused when a pattern would make the subjects unbounded. */
function exactNames(list: unknown, what: string): string[] {
  const names = (list ?? []) as string[];
  for (const name of names)
    if (/[*?![\]+]/.test(name))
      throw new Error(`${what} \`${name}\` is a pattern: its subjects are unbounded`);
  return names;
}

/** The subjects one event can present for a job without an environment. */
function eventSubjects(event: string, filters: Record<string, unknown>): string[] {
  switch (event) {
    case 'pull_request':
      return ['pull_request'];
    case 'schedule':
    case 'workflow_dispatch':
      return [`ref:refs/heads/${DEFAULT_BRANCH}`];
    case 'push': {
      const branches = exactNames(filters.branches, 'push branch').map((b) => `ref:refs/heads/${b}`);
      const tags = exactNames(filters.tags, 'push tag').map((t) => `ref:refs/tags/${t}`);
      if (branches.length + tags.length === 0)
        throw new Error('`push` without `branches:` or `tags:` runs on any ref: its subjects are unbounded');
      return [...branches, ...tags];
    }
    default:
      throw new Error(`event \`${event}\`: teach oidc-subjects.ts its subject first`);
  }
}

/** Every subject the job can present, after `repo:<owner>/<repo>:`. */
export function jobSubjects(workflow: Workflow, job: Job): string[] {
  if (job.environment !== undefined) {
    const name = typeof job.environment === 'string' ? job.environment : job.environment.name;
    return [`environment:${name}`];
  }
  const subjects = Object.entries(eventsOf(workflow.on)).flatMap(([event, filters]) =>
    eventSubjects(event, filters),
  );
  return [...new Set(subjects)];
}

/** The two forms GitHub sends a subject in: by name, and (immutable) by name and numeric ID. */
export function bothForms(
  repo: { owner: string; ownerId: string; name: string; id: string },
  subject: string,
): string[] {
  return [
    `repo:${repo.owner}/${repo.name}:${subject}`,
    `repo:${repo.owner}@${repo.ownerId}/${repo.name}@${repo.id}:${subject}`,
  ];
}
