// The emulated GitHub GraphQL API (POST /graphql), through Octokit's graphql: the default branch,
// its head commit and a file in that commit from the repository's state, and GitHub's errors for
// what it does not serve (unknown fields, types and arguments, undeclared variables), a repository
// a token cannot see and bad credentials.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { startEmulator, type Emulator } from '../../emulator/index.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true, azure: false });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const graphql = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
  getOctokit(token ?? emulator.github.runs.jobToken, { baseUrl: emulator.env.GITHUB_API_URL }).graphql(
    query,
    variables,
  );
const errorsOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as { errors?: { message: string; type?: string; extensions?: Record<string, unknown> }[] };
  }
  throw new Error('expected a GraphQL error');
};

const HEAD_QUERY = `query ($owner: String!, $name: String!, $path: String!) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef {
      name
      target { ... on Commit { oid file(path: $path) { type object { ... on Blob { byteSize isBinary isTruncated text } } } } }
    }
  }
}`;
const vars = { owner: 'octo-org', name: 'octo-repo', path: '.github/access-policy.yml' };

describe('the default branch, its head and a file in that commit', () => {
  it("answers the default branch's name, head commit and the file's text at that commit", async () => {
    emulator.github.repository.setFile('main', '.github/access-policy.yml', 'version: 1\n');
    emulator.github.repository.setFile('evil', '.github/access-policy.yml', 'version: 2\n');
    const data = (await graphql(HEAD_QUERY, vars)) as {
      repository: { defaultBranchRef: { name: string; target: { oid: string; file: unknown } } };
    };
    expect(data.repository.defaultBranchRef).toEqual({
      name: 'main',
      target: {
        oid: emulator.github.repository.headOf('main'),
        file: {
          type: 'blob',
          object: { byteSize: 11, isBinary: false, isTruncated: false, text: 'version: 1\n' },
        },
      },
    });
    expect(emulator.requests.map((r) => r.operation)).toEqual(['GraphQL']);
  });

  it('answers null for a file the commit does not hold, and a tree for a folder', async () => {
    emulator.github.repository.setFile('main', '.github/workflows/x.yml', 'on: push\n');
    const missing = (await graphql(HEAD_QUERY, vars)) as {
      repository: { defaultBranchRef: { target: { file: unknown } } };
    };
    expect(missing.repository.defaultBranchRef.target.file).toBeNull();
    const folder = (await graphql(HEAD_QUERY, { ...vars, path: '.github' })) as {
      repository: { defaultBranchRef: { target: { file: unknown } } };
    };
    expect(folder.repository.defaultBranchRef.target.file).toEqual({ type: 'tree', object: {} });
  });
});

describe("GitHub's errors", () => {
  it('refuses a field the schema does not have, naming the field and its type, with no data', async () => {
    const failure = await errorsOf(
      graphql('{ repository(owner: "octo-org", name: "octo-repo") { secrets { name } } }'),
    );
    expect(failure.errors).toEqual([
      expect.objectContaining({
        message: "Field 'secrets' doesn't exist on type 'Repository'",
        extensions: { code: 'undefinedField', typeName: 'Repository', fieldName: 'secrets' },
      }),
    ]);
  });

  it('refuses an unknown argument, a missing one, an undeclared variable and an unknown fragment type', async () => {
    const messages = async (query: string, variables?: Record<string, unknown>) =>
      (await errorsOf(graphql(query, variables))).errors?.map((e) => e.message);
    expect(await messages('{ repository(owner: "o", name: "r", mine: "x") { nameWithOwner } }')).toEqual([
      "Field 'repository' doesn't accept argument 'mine'",
    ]);
    expect(await messages('{ repository(owner: "o") { nameWithOwner } }')).toEqual([
      "Field 'repository' is missing required arguments: name",
    ]);
    expect(await messages('{ repository(owner: $o, name: "r") { nameWithOwner } }')).toEqual([
      'Variable $o is used by anonymous query but not declared',
    ]);
    expect(
      await messages(
        '{ repository(owner: "o", name: "r") { defaultBranchRef { target { ... on Tag { oid } } } } }',
      ),
    ).toEqual(["No such type Tag, so it can't be a fragment condition"]);
    expect(
      await messages('query ($o: String!) { repository(owner: $o, name: "r") { nameWithOwner } }'),
    ).toEqual(['Variable $o of type String! was provided invalid value']);
  });

  it('answers NOT_FOUND for a repository the token cannot see, and 401 for bad credentials', async () => {
    const failure = await errorsOf(graphql(HEAD_QUERY, { ...vars, name: 'other' }));
    expect(failure.errors).toEqual([expect.objectContaining({ type: 'NOT_FOUND', path: ['repository'] })]);
    const denied = (await errorsOf(graphql(HEAD_QUERY, vars, 'ghs_wrong'))) as unknown as { status: number };
    expect(denied.status).toBe(401);
  });
});
