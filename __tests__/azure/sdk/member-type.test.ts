// `memberType` as ARM (`Direct`) and Microsoft Graph (`direct`) write it: one comparison for every kind.
import { describe, expect, it } from '@jest/globals';
import { heldDirectly, heldThroughGroup } from '../../../src/azure/sdk/member-type.js';

describe('how a PIM schedule is held', () => {
  it('is the principal’s own when `direct` in any case, or unsaid; never through a group or inherited', () => {
    expect([undefined, 'Direct', 'direct', 'DIRECT'].map(heldDirectly)).toEqual([true, true, true, true]);
    expect(['Group', 'group', 'Inherited', 'other'].map(heldDirectly)).toEqual([false, false, false, false]);
  });

  it('is through a group when `group` in any case', () => {
    expect(['Group', 'group', 'Direct', undefined].map(heldThroughGroup)).toEqual([true, true, false, false]);
  });
});
