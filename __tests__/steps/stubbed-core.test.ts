// The main step as tools that stand in for the runner run it (@github/local-action, `npm run
// local-action`): they replace @actions/core with a stub of their own and call the module's `run`.
// Everything the step tells the runner goes through that stub, so the tool sees its outputs and
// state; nothing is written to stdout behind its back.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';

const outputs: Record<string, string> = {};
const state: Record<string, string> = {};
const secrets: string[] = [];
const lines: string[] = [];
const summaries: string[] = [];
const failed: string[] = [];
const log = (kind: string) => (message: string) => void lines.push(`${kind}: ${message}`);

jest.unstable_mockModule('@actions/core', () => ({
  getInput: (name: string) => process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '',
  setOutput: (name: string, value: string) => void (outputs[name] = value),
  saveState: (name: string, value: string) => void (state[name] = value),
  setSecret: (secret: string) => void secrets.push(secret),
  setFailed: (message: string) => void failed.push(message),
  info: log('info'),
  debug: log('debug'),
  notice: log('notice'),
  warning: log('warning'),
  error: log('error'),
  startGroup: log('group'),
  endGroup: () => void lines.push('endgroup'),
  summary: {
    addRaw(html: string) {
      summaries.push(html);
      return this;
    },
    write() {
      return Promise.resolve(this);
    },
  },
}));

let emulator: Emulator;
const saved = { ...process.env };
beforeAll(async () => {
  emulator = await startEmulator({ quiet: true });
});
afterAll(async () => {
  process.env = saved;
  await emulator.close();
});

describe('a stub of @actions/core sees everything the main step tells the runner', () => {
  it('its inputs, outputs, state, masks, log lines and summary, and nothing reaches stdout', async () => {
    const awsEnv = Object.entries(emulator.env).filter(([k]) => !(k in (emulator.azure?.env ?? {})));
    process.env = {
      PATH: saved.PATH,
      HOME: saved.HOME,
      AWS_EC2_METADATA_DISABLED: 'true',
      GITHUB_STEP_SUMMARY: '/nonexistent/the-stub-writes-it',
      ...Object.fromEntries(awsEnv),
      INPUT_CLOUD: 'aws',
      'INPUT_AWS-REGION': 'us-east-1',
      'INPUT_ROLE-TO-ASSUME': 'arn:aws:iam::123456789012:role/cloud-access',
      INPUT_PRINCIPAL: 'alice',
      INPUT_TARGET: '111111111111',
      INPUT_ROLE: 'ReadOnlyAccess',
    };
    const written: string[] = [];
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    try {
      const { run } = await import('../../src/index.js');
      await run();
    } finally {
      write.mockRestore();
    }

    expect(failed).toEqual([]);
    expect(outputs).toMatchObject({ status: 'SUCCEEDED', changed: 'true' });
    expect(JSON.parse(outputs.results!)).toHaveLength(1);
    expect(Object.keys(state)).toEqual(['cloud-access']);
    // The OIDC token and the session credentials: masked through the stub, never printed.
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    expect(lines).toContain('info: Running 1 assign grant on aws');
    expect(summaries.join('')).toContain('cloud-access: aws assign');
    expect(written).toEqual([]);
  });
});
