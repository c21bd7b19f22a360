// Every job summary starts with the run's header: which step (operation, cloud), the run it belongs
// to as a link, and whom it signs in as; a step that fails before it reads its inputs says what it can.
import { describe, expect, it } from '@jest/globals';
import { parseInputs } from '../../../src/core/inputs/index.js';
import {
  headerOf,
  headerOfInvalidInputs,
  runHeaderHtml,
  signInText,
} from '../../../src/core/output/run-header.js';
import { settingsOf } from '../../../src/core/state/saved-settings.js';

const RUN = {
  repository: 'octo-org/octo-repo',
  runId: '77',
  runAttempt: '2',
  serverUrl: 'https://github.com',
  workflow: 'deploy',
  actor: 'octocat',
};
const inputs =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? '';
const aws = parseInputs(
  inputs({
    cloud: 'aws',
    operation: 'reconcile',
    manifest: 'access.yml',
    'aws-region': 'eu-west-1',
    'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
    'dry-run': 'true',
  }),
  {},
  RUN,
);

describe('the run header', () => {
  it('names the step, links its run, and says whom it signs in as', () => {
    const html = runHeaderHtml(headerOf(aws));
    expect(html).toBe(
      [
        '<h3>cloud-access: aws reconcile (dry run)</h3>',
        '<p><a href="https://github.com/octo-org/octo-repo/actions/runs/77/attempts/2">octo-org/octo-repo run 77 attempt 2</a>' +
          ' · workflow deploy · started by octocat' +
          ' · signs in to AWS Region eu-west-1 as arn:aws:sts::123456789012:assumed-role/deploy/cloud-access-77-2</p>',
      ].join('\n'),
    );
  });

  it('on Azure, the application and tenant; without a role or client ID, the environment', () => {
    const azure = parseInputs(
      inputs({
        cloud: 'azure',
        principal: '11111111-2222-3333-4444-555555555555',
        target: '/subscriptions/3f2a9c71-5d4e-4b8a-a6c2-91e07d5b8f14',
        role: 'Reader',
        'client-id': '22222222-3333-4444-5555-666666666666',
        'tenant-id': '33333333-4444-5555-6666-777777777777',
      }),
    );
    expect(signInText(settingsOf(azure))).toBe(
      'Azure as application (client) ID 22222222-3333-4444-5555-666666666666 in tenant 33333333-4444-5555-6666-777777777777',
    );
    const ambient = { ...settingsOf(aws), roleToAssume: undefined };
    expect(signInText(ambient)).toBe("AWS Region eu-west-1 as the environment's credentials");
  });

  it('is the title alone when nothing else is known, every value escaped', () => {
    expect(runHeaderHtml({ title: 'cloud-access: <b>x</b>' })).toBe(
      '<h3>cloud-access: &lt;b&gt;x&lt;/b&gt;</h3>',
    );
  });

  it('after invalid inputs: the cloud and operation only when they are ones the action knows', () => {
    const read = (values: Record<string, string>) => headerOfInvalidInputs(inputs(values), RUN).title;
    expect(read({ cloud: 'AWS', operation: 'sweep' })).toBe('cloud-access: aws sweep: invalid input');
    expect(read({ cloud: 'aws' })).toBe('cloud-access: aws assign: invalid input');
    expect(read({ cloud: 'gcp', operation: 'sweep' })).toBe('cloud-access: invalid input');
    expect(read({ cloud: 'aws', operation: '<img src=x>' })).toBe('cloud-access: invalid input');
    expect(headerOfInvalidInputs(inputs({}), RUN).run).toBe(RUN);
  });
});
