// The post step runs in every job that uses the action: whether it has anything to revoke is
// decided from its environment alone, before the action is loaded. Only a step whose
// `revoke-on-exit` is true and whose state holds a saved grant goes on to the full post step.
import { describe, expect, it } from '@jest/globals';
import { nothingToRevoke } from '../../src/steps/post-gate.js';

const header = { 'STATE_cloud-access': JSON.stringify({ version: 2, nonce: 'a'.repeat(32), count: 1 }) };
const entry = { 'STATE_cloud-access-grant-0': '{"nonce":"…"}' };

describe('a post step with nothing to revoke', () => {
  it.each([
    ['revoke-on-exit is not set', {}],
    ['revoke-on-exit is false', { 'INPUT_REVOKE-ON-EXIT': 'false' }],
    ['revoke-on-exit is not a boolean (the main step refused its inputs)', { 'INPUT_REVOKE-ON-EXIT': 'yes' }],
  ])('says so when %s, whatever state the environment holds', (_case, input) => {
    expect(nothingToRevoke({ ...input, ...header, ...entry })).toBe(
      'revoke-on-exit is off for this step: the post step revokes nothing',
    );
  });

  it.each([
    ['no state at all', {}],
    ['only the header the main step saves first', header],
    ['entries the main step cleared', { ...header, 'STATE_cloud-access-grant-0': '' }],
  ])('says so when revoke-on-exit is on and the main step saved no grant: %s', (_case, state) => {
    expect(nothingToRevoke({ 'INPUT_REVOKE-ON-EXIT': 'true', ...state })).toBe(
      'revoke-on-exit: the main step saved no grants, so there is nothing to revoke',
    );
  });
});

describe('a post step that may have something to revoke', () => {
  it.each(['true', 'True', 'TRUE', ' true '])(
    'goes on when revoke-on-exit is %j and a grant entry was saved (the post step checks it)',
    (value) => {
      expect(nothingToRevoke({ 'INPUT_REVOKE-ON-EXIT': value, ...header, ...entry })).toBeUndefined();
    },
  );

  it('goes on for an entry without a header too: the post step itself decides what it is worth', () => {
    expect(nothingToRevoke({ 'INPUT_REVOKE-ON-EXIT': 'true', ...entry })).toBeUndefined();
  });
});
