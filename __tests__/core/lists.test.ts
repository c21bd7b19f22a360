// "did you mean": one helper for every name the action could not find (permission sets, roles,
// principals, OUs, manifest keys, files), offering only names close to the one written.
import { describe, expect, it } from '@jest/globals';
import { closestNames, didYouMean, editDistance } from '../../src/core/lists.js';

const PERMISSION_SETS = ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess', 'ViewOnlyAccess'];

describe('did you mean offers only close names', () => {
  it('offers nothing for a name unlike any: `Billing` is not `ViewOnlyAccess`', () => {
    expect(didYouMean('Billing', PERMISSION_SETS)).toBeUndefined();
    expect(closestNames('Billing', PERMISSION_SETS)).toEqual([]);
  });

  it('offers a typo’s name: a few edits, at most a third of the name', () => {
    expect(didYouMean('ReadOnlyAcess', PERMISSION_SETS)).toBe('did you mean `ReadOnlyAccess`?');
    expect(closestNames('Contributer', ['Contributor', 'Owner', 'Reader'])).toEqual(['Contributor']);
    // Five edits in a name of eight is another name.
    expect(closestNames('Platform', ['Auditors'])).toEqual([]);
  });

  it('offers the same name in another case, first', () => {
    expect(closestNames('prod', ['Prod', 'prod-eu', 'Dev'])).toEqual(['Prod', 'prod-eu']);
  });

  it('offers a name that shares a long start: `AdminAccess` for `AdministratorAccess`', () => {
    expect(closestNames('AdminAccess', PERMISSION_SETS)).toEqual(['AdministratorAccess']);
    // A short shared start means little.
    expect(closestNames('Reviewer', ['ReadOnlyAccess'])).toEqual([]);
  });

  it('a one-letter slip counts even in a short name', () => {
    expect(closestNames('opsx', ['ops', 'ops-1', 'dev'])).toEqual(['ops']);
  });

  it('lists the closest first, each once, at most `count`', () => {
    expect(closestNames('team-a', ['team-b', 'team-a1', 'team-b', 'team-c'], 2)).toEqual([
      'team-a1',
      'team-b',
    ]);
  });
});

describe('a transposition, the commonest typo, is one edit', () => {
  it('offers `alice` for `ailce` and `alcie`, and `Prod` for `Prdo`', () => {
    expect(closestNames('ailce', ['alice', 'bob', 'carol'])).toEqual(['alice']);
    expect(closestNames('alcie', ['alice', 'bob', 'carol'])).toEqual(['alice']);
    expect(closestNames('Prdo', ['Prod', 'Staging'])).toEqual(['Prod']);
  });

  it('still counts other edits as before', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('abc', 'ca')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('a suggestion is one name in one code span', () => {
  it('never offers a name with a backtick, which would close its span and write words of its own', () => {
    expect(didYouMean('deployer', ['deployers` — pass instead: `object:6d1f0a3b', 'deployers'])).toBe(
      'did you mean `deployers`?',
    );
    expect(closestNames('deployer', ['deployers`'])).toEqual([]);
  });
});
