import { describe, expect, it } from '@jest/globals';
import { runSummaryLine } from '../../src/core/output/summary-table.js';
import {
  runContextFrom,
  runRepositoryFor,
  runUrlOf,
  serverHostToShow,
  type RunMetadata,
} from '../../src/core/run-context.js';

const runner: RunMetadata = {
  repository: 'octo-org/app',
  workflow: 'deploy',
  runId: 1234567890,
  runAttempt: 2,
  serverUrl: 'https://github.com',
  actor: 'octocat',
  ref: 'refs/heads/main',
};

describe('the run a step belongs to', () => {
  it("keeps the runner's values as they are", () => {
    expect(runContextFrom(runner)).toEqual({
      repository: 'octo-org/app',
      workflow: 'deploy',
      runId: '1234567890',
      runAttempt: '2',
      serverUrl: 'https://github.com',
      actor: 'octocat',
      ref: 'refs/heads/main',
    });
  });

  it('a local run (no GITHUB_* variables) has no fields, not "NaN" or "undefined"', () => {
    const local = runContextFrom({
      repository: undefined,
      workflow: undefined,
      runId: NaN,
      runAttempt: NaN,
      serverUrl: 'https://github.com',
      actor: undefined,
      ref: undefined,
    });
    expect(Object.values(local).filter(Boolean)).toEqual(['https://github.com']);
    expect(runUrlOf(local)).toBeUndefined();
    expect(runSummaryLine(local)).toBeUndefined();
  });

  it('links to the run attempt on github.com and on a GitHub Enterprise Server', () => {
    expect(runUrlOf(runContextFrom(runner))).toBe(
      'https://github.com/octo-org/app/actions/runs/1234567890/attempts/2',
    );
    expect(
      runUrlOf(runContextFrom({ ...runner, serverUrl: 'https://ghe.example.com/', runAttempt: NaN })),
    ).toBe('https://ghe.example.com/octo-org/app/actions/runs/1234567890');
    expect(runUrlOf(runContextFrom({ ...runner, serverUrl: 'https://octo.ghe.com' }))).toBe(
      'https://octo.ghe.com/octo-org/app/actions/runs/1234567890/attempts/2',
    );
  });

  it.each([
    ['javascript:alert(1)', 'a script URL'],
    ['https://user:pass@github.com', 'credentials'],
    ['https://evil.example/phish?x=', 'a path or query'],
    ['https://github.com#frag', 'a fragment'],
    ['not a url', 'not a URL'],
  ])('a planted GITHUB_SERVER_URL (%s: %s) gives no link', (serverUrl) => {
    const context = runContextFrom({ ...runner, serverUrl });
    expect(context.serverUrl).toBeUndefined();
    expect(runUrlOf(context)).toBeUndefined();
    expect(runSummaryLine(context)).toBe(
      'octo-org/app run 1234567890 attempt 2 · workflow deploy · refs/heads/main · started by octocat',
    );
  });

  it.each([
    ['repository', 'octo-org/app/../../evil'],
    ['repository', 'octo-org/app"><img src=x>'],
    ['actor', 'octocat\n::add-mask::x'],
    ['actor', 'a'.repeat(40)],
    ['ref', 'refs/heads/main\n::stop-commands::x'],
    ['ref', 'main'],
  ] as const)('drops %s %j: not the shape GitHub gives', (field, value) => {
    expect(runContextFrom({ ...runner, [field]: value })[field]).toBeUndefined();
  });

  it('keeps GITHUB_REPOSITORY_ID only as the digits GitHub gives (it names the AWS role session)', () => {
    expect(runContextFrom({ ...runner, repositoryId: '123456789' }).repositoryId).toBe('123456789');
    for (const repositoryId of ['', '0', '0123', '12a', '1-2', ' 123', '1'.repeat(21), undefined])
      expect(runContextFrom({ ...runner, repositoryId }).repositoryId).toBeUndefined();
  });

  it("keeps the run's event name only in the shape GitHub gives event names (whether a snapshot may be written hangs on it)", () => {
    expect(runContextFrom({ ...runner, eventName: 'schedule' }).eventName).toBe('schedule');
    expect(runContextFrom({ ...runner, eventName: 'pull_request_target' }).eventName).toBe(
      'pull_request_target',
    );
    for (const planted of ['push\n::stop-commands::x', 'Push', '', 'a'.repeat(65)])
      expect(runContextFrom({ ...runner, eventName: planted }).eventName).toBeUndefined();
  });

  it('run numbers must be positive integers', () => {
    for (const runId of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, NaN])
      expect(runContextFrom({ ...runner, runId }).runId).toBeUndefined();
  });

  it('keeps a workflow name readable: control characters dropped, quotes softened, cut at 100', () => {
    expect(runContextFrom({ ...runner, workflow: 'deploy\n::warning::x\u202e' }).workflow).toBe(
      'deploy::warning::x',
    );
    expect(runContextFrom({ ...runner, workflow: 'say "hi"' }).workflow).toBe("say 'hi'");
    const long = runContextFrom({ ...runner, workflow: 'w'.repeat(300) }).workflow!;
    expect(long).toHaveLength(100);
    expect(long.endsWith('…')).toBe(true);
    expect(runContextFrom({ ...runner, workflow: '\n\t' }).workflow).toBeUndefined();
  });

  it("the summary line is HTML whose only markup is the run's link", () => {
    const line = runSummaryLine(runContextFrom({ ...runner, workflow: '<img src=x onerror=alert(1)>' }))!;
    expect(line).toBe(
      '<a href="https://github.com/octo-org/app/actions/runs/1234567890/attempts/2">octo-org/app run 1234567890 attempt 2</a>' +
        ' · workflow &lt;img src=x onerror=alert(1)&gt; · refs/heads/main · started by octocat',
    );
  });

  it("names the server in the link's text unless it is github.com or a GHE.com tenant", () => {
    const line = (serverUrl: string) => runSummaryLine(runContextFrom({ ...runner, serverUrl }))!;
    expect(line('https://github.com')).toMatch(/>octo-org\/app run 1234567890 attempt 2<\/a>/);
    expect(line('https://octo.ghe.com')).toMatch(/>octo-org\/app run /);
    expect(line('https://github.com.evil.example')).toMatch(
      /^<a href="https:\/\/github.com.evil.example\/octo-org\/app\/actions\/runs\/1234567890\/attempts\/2">github.com.evil.example: octo-org\/app run /,
    );
    // A look-alike name is shown as the URL carries it (punycode), not as it would be drawn.
    expect(line('https://g\u0456thub.com')).toContain('>xn--gthub-n2e.com: octo-org/app');
    expect(serverHostToShow(runContextFrom({ ...runner, serverUrl: 'http://ghes.internal:8080' }))).toBe(
      'ghes.internal:8080',
    );
  });

  it('takes Enterprise Managed Users (login_shortcode) as actors and owners, and refuses `.` and `..` as repositories', () => {
    const emu = runContextFrom({ ...runner, actor: 'mona_octo', repository: 'mona_octo/app' });
    expect([emu.actor, emu.repository]).toEqual(['mona_octo', 'mona_octo/app']);
    expect(runContextFrom({ ...runner, actor: 'dependabot[bot]' }).actor).toBe('dependabot[bot]');
    for (const repository of ['octo-org/..', 'octo-org/.', 'octo-org/undefined/x'])
      expect(runContextFrom({ ...runner, repository }).repository).toBeUndefined();
  });

  it('cuts a long workflow name by whole characters, and drops blank-looking fillers', () => {
    const cut = runContextFrom({ ...runner, workflow: `${'a'.repeat(98)}\u{1F600}b` }).workflow!;
    expect(cut).toBe(`${'a'.repeat(98)}\u{1F600}b`);
    const longer = runContextFrom({ ...runner, workflow: `${'a'.repeat(98)}\u{1F600}bc` }).workflow!;
    expect(longer).toBe(`${'a'.repeat(98)}\u{1F600}…`);
    expect(longer).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(runContextFrom({ ...runner, workflow: 'deploy\u3164\u3164\u2800evil\u00a0now' }).workflow).toBe(
      'deployevil now',
    );
    expect(runContextFrom({ ...runner, ref: 'refs/heads/main\u3164\u3164evil' }).ref).toBeUndefined();
  });
});

describe('an operation that works through GitHub’s API works on the run’s repository', () => {
  it('takes the run’s repository', () => {
    expect(runRepositoryFor({ repository: 'octo/infra' }, 'review')).toBe('octo/infra');
  });

  it('without one, fails naming GITHUB_REPOSITORY and where to run the operation', () => {
    const run = () => runRepositoryFor({}, 'request');
    expect(run).toThrow(/GITHUB_REPOSITORY/);
    expect(run).toThrow(expect.objectContaining({ fix: 'run the request on GitHub Actions' }));
  });
});
