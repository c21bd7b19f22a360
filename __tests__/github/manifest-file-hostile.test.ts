// The manifest a pull request names is the pull request's: a fork's too, whose plan is skipped but
// whose file is still checked, its problems annotated on the public check. actions/checkout keeps
// the job's token in .git/config (persist-credentials, on by default), inside the workspace; a
// manifest committed as a link to it must not have the token's text read and echoed back.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest } from '../../src/core/manifest/parse.js';
import { readManifestFile } from '../../src/github/manifest-file.js';

const workspace = mkdtempSync(join(tmpdir(), 'manifest-hostile-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const CREDENTIAL = 'eC1hY2Nlc3MtdG9rZW46Z2hzX1NFQ1JFVF9UT0tFTg==';
mkdirSync(join(workspace, '.git'));
writeFileSync(
  join(workspace, '.git', 'config'),
  `[core]\n\trepositoryformatversion = 0\n[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${CREDENTIAL}\n`,
);
mkdirSync(join(workspace, 'access'));

describe('a manifest that is a link into the repository’s .git folder', () => {
  it('is refused unread, and nothing of the file reaches the problems annotated', async () => {
    symlinkSync('../.git/config', join(workspace, 'access', 'manifest.yml'));
    const read = await readManifestFile('access/manifest.yml', workspace);
    expect(read).toEqual({ path: 'access/manifest.yml', unreadable: expect.stringMatching(/\.git/) });
    const said =
      JSON.stringify(read) + ('text' in read ? JSON.stringify(parseManifest(read.path, read.text!)) : '');
    expect(said).not.toContain(CREDENTIAL.slice(0, 12));
  });

  it('named directly (`manifest: .git/config`), likewise', async () => {
    const read = await readManifestFile('.git/config', workspace);
    expect(read).toMatchObject({ unreadable: expect.stringMatching(/\.git/) });
  });
});
