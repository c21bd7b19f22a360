// The post step runs in every job that uses the action: whether it has anything to revoke is
// decided from its environment alone, before the action is loaded. Only a main step that ran with
// `revoke-on-exit: true` (its own header says so) and saved a grant sends the post step on; the
// post step's own, re-evaluated `revoke-on-exit` input is not what decides (operations/revoke-on-exit/index.ts fails
// when it is now false and grants were saved).
import { describe, expect, it } from '@jest/globals';
import { whyNothingToRevoke } from '../../src/steps/post-gate.js';

const nonce = 'a'.repeat(32);
const claim = { 'STATE_cloud-access': JSON.stringify({ version: 3, nonce, count: 0 }) };
const header = { 'STATE_cloud-access': JSON.stringify({ version: 3, nonce, count: 1, revokeOnExit: true }) };
const entry = { 'STATE_cloud-access-grant-0': '{"nonce":"…"}' };

describe('a post step with nothing to revoke', () => {
  it.each([
    ['no state at all', {}],
    ['only the header the main step saves first', header],
    ['entries the main step cleared', { ...header, 'STATE_cloud-access-grant-0': '' }],
  ])('says so when the main step saved no grant: %s', (_case, state) => {
    expect(whyNothingToRevoke({ 'INPUT_REVOKE-ON-EXIT': 'true', ...state })).toBe(
      'revoke-on-exit: the main step saved no grants, so there is nothing to revoke',
    );
  });

  it.each([
    ['the header the main step claims before it reads its inputs', claim],
    ['no header', {}],
    ['a header that is not JSON', { 'STATE_cloud-access': '{' }],
  ])(
    'ignores entries (planted through GITHUB_ENV) when the main step ran without revoke-on-exit: %s',
    (_case, h) => {
      expect(whyNothingToRevoke({ 'INPUT_REVOKE-ON-EXIT': 'true', ...h, ...entry })).toMatch(
        /^revoke-on-exit was off for the main step/,
      );
    },
  );
});

describe('a post step that may have something to revoke', () => {
  it('goes on after an AWS main step with `duration` whose `revoke-on-exit` input was unset', () => {
    const timeBound = {
      'STATE_cloud-access': JSON.stringify({
        version: 3,
        nonce,
        count: 1,
        revokeOnExit: true,
        settings: { cloud: 'aws', duration: 'PT30M', expiresAt: 1790000000 },
      }),
    };
    expect(whyNothingToRevoke({ 'INPUT_REVOKE-ON-EXIT': 'false', ...timeBound, ...entry })).toBeUndefined();
  });

  it.each(['true', 'false', 'yes', ''])(
    'goes on when the main step ran with revoke-on-exit and saved a grant, whatever its own input now says (%j)',
    (value) => {
      expect(whyNothingToRevoke({ 'INPUT_REVOKE-ON-EXIT': value, ...header, ...entry })).toBeUndefined();
    },
  );
});
