// The modes that read (a sweep, the reports, a reconcile's snapshot), each in one command:
// `npm run local-action -- <mode>.env` against the emulator `npm run emulator:start` started, with
// the .env files it wrote, exiting 0 (local-modes.test.ts has the modes that write).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectModeRuns, localAction, startedEmulator } from './local-modes-fixture.js';

const emulatorFolder = startedEmulator();
let dir: string;
beforeAll(() => {
  dir = emulatorFolder();
});

describe('npm run local-action -- .emulator/<mode>.env', () => {
  it.each([
    ['sweep', /sweep/i],
    ['report-aws', /report: \d+ row\(s\)/],
    ['report-azure', /report: \d+ row\(s\)/],
  ])(
    '%s runs in one command, exits 0 and writes its job summary',
    (mode, expected) => expectModeRuns(dir, mode, expected),
    120_000,
  );

  it('reconcile-snapshot, run twice: a complete read keeps the snapshot in the emulator’s S3, the next run reads from it', () => {
    const file = join(dir, 'reconcile-snapshot.env');
    expect(readFileSync(file, 'utf8')).toMatch(/^INPUT_SNAPSHOT=s3:\/\/cloud-access-snapshots\/reconcile$/m);
    const first = localAction(file);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(
      /::notice::snapshot: a complete read, because there is no snapshot at s3:\/\/cloud-access-snapshots\/reconcile\//,
    );
    expect(first.stdout).toMatch(/::notice::snapshot: written to s3:\/\/cloud-access-snapshots\/reconcile\//);
    const second = localAction(file);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(
      /::notice::snapshot: read from s3:\/\/cloud-access-snapshots\/reconcile\/.* and CloudTrail's writes since/,
    );
  }, 240_000);
});
