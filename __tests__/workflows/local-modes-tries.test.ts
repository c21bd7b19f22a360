// What a person tries next against the emulator `npm run emulator:start` started: a mode file of
// their own, the shell file of its URLs, an edited mode file, the audit log. Access requests, a
// sub-action, a mode's main step alone and a stopped emulator: local-modes-requests.test.ts, with
// an emulator of its own, so that the two files run side by side (a start and a stop cost about
// 2.7 s of CPU; the runs of either file, a minute and a half).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_DIRECTORY } from '../../emulator/azure/sample-directory.js';
import { localAction, ROOT, shell, startedEmulator } from './local-modes-fixture.js';

const emulatorFolder = startedEmulator();
let dir: string;
beforeAll(() => {
  dir = emulatorFolder();
});

describe('npm run local-action -- a mode of your own, the audit log', () => {
  it.each(['report-aws', 'report-azure', 'sweep-plan', 'reconcile-azure'])(
    'with inputs of your own, from examples/local/%s.env and the running emulator’s files, exits 0',
    (mode) => {
      // As the example's first lines say, its summary and files sent to this test's folder.
      const example = readFileSync(join(ROOT, 'examples', 'local', `${mode}.env`), 'utf8').replaceAll(
        '.emulator/out',
        join(dir, 'own-out'),
      );
      const appended = ['emulator.env', ...(mode.includes('azure') ? ['azure-inputs.env'] : [])].map((f) =>
        readFileSync(join(dir, f), 'utf8'),
      );
      const own = join(dir, `own-${mode}.env`);
      writeFileSync(own, [example, ...appended].join('\n'));
      const run = localAction(own);
      expect({
        status: run.status,
        errors: run.stdout.split('\n').filter((l) => l.startsWith('::error')),
      }).toEqual({
        status: 0,
        errors: [],
      });
      expect(readFileSync(join(dir, 'own-out', `${mode}.summary.md`), 'utf8')).toContain('<h3>cloud-access');
    },
    120_000,
  );

  it('emulator.env is a shell file: `source` sets EMULATOR_URL for the control API’s curl commands, and says nothing', () => {
    const sourced = spawnSync(
      'bash',
      ['-c', `source '${join(dir, 'emulator.env')}' && echo "$EMULATOR_URL"`],
      {
        encoding: 'utf8',
      },
    );
    expect({ status: sourced.status, stderr: sourced.stderr }).toEqual({ status: 0, stderr: '' });
    expect(sourced.stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('an edited mode file runs: an input left to its `${{ github.token }}` default gets the emulator’s job token', () => {
    // revoke-on-exit on Azure reads github-token (a shared assignment's reliers); its default's text is no token.
    const edited = join(dir, 'azure-assign-edited.env');
    writeFileSync(
      edited,
      // Another principal than the mode's (which an earlier test granted), so the post step has something to revoke.
      readFileSync(join(dir, 'azure-assign.env'), 'utf8').replace(
        /^INPUT_PRINCIPAL=.*$/m,
        `INPUT_PRINCIPAL=${SAMPLE_DIRECTORY.application.servicePrincipalId}\nINPUT_REVOKE-ON-EXIT=true`,
      ),
    );
    const run = localAction(edited);
    expect({
      status: run.status,
      errors: run.stdout.split('\n').filter((l) => l.startsWith('::error')),
    }).toEqual({
      status: 0,
      errors: [],
    });
    expect(run.stdout).toContain('local-action: the main step succeeded, and the post step');
  }, 120_000);

  it('aws-audit-log writes the records of its main and post steps to the emulator’s S3, read back as its file says', () => {
    const file = readFileSync(join(dir, 'aws-audit-log.env'), 'utf8');
    const read = /^# Then read what it wrote: (curl .*)$/m.exec(file)![1]!;
    const run = localAction(join(dir, 'aws-audit-log.env'));
    expect(run.status).toBe(0);
    const [bucket] = JSON.parse(shell(`${read} --silent --show-error`)) as {
      exists: boolean;
      objects: { key: string; body: { step: string; change: string } }[];
    }[];
    expect(bucket!.exists).toBe(true);
    const changes = bucket!.objects.map((o) => `${o.body.step} ${o.body.change}`);
    expect(changes).toEqual(expect.arrayContaining(['main plan', 'post post-revoke']));
    for (const { key } of bucket!.objects)
      expect(key).toMatch(/^cloud-access\/\d{4}\/\d{2}\/\d{2}\/123456789-1234567890-1-\d+\.json$/);
  }, 120_000);
});
