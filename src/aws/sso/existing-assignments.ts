// Which of a step's grants already exist, read with as few calls as IAM Identity Center allows.
// Two reads answer it: one ListAccountAssignments per account × permission set (every principal's
// assignment of that pair), or one ListAccountAssignmentsForPrincipal per principal (its
// assignments in every account). A batch of few principals over many accounts needs far fewer of
// the second: 3 principals × 20 accounts is 3 calls rather than 20. That matters beyond the
// calls saved, because every call counts against the instance's 20 TPS: with 20 reads first, a
// batch's first creates wait a second for the reads to leave the window; with 3 they go at once.
// The by-principal read is for the management account only (a delegated administrator, or an
// account instance, is refused), and a principal holding many assignments takes many pages, so
// the read falls back to the per-place one whenever the first is refused or costs more.
import {
  ListAccountAssignmentsCommand,
  ListAccountAssignmentsForPrincipalCommand,
} from '@aws-sdk/client-sso-admin';
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import type { AwsGrant, AwsResolvedIds } from '../../core/types.js';
import { SharedReads } from '../../engine/limits/shared-reads.js';
import { isAwsError } from '../sdk/aws-errors.js';
import type { SsoSession } from './session.js';
import { LIST_PAGE } from '../sdk/sso-calls.js';

const placeKey = (accountId: string, permissionSetArn: string) => `${accountId}|${permissionSetArn}`;

export class ExistingAssignments {
  private readonly reads = new SharedReads();
  /** Pages a principal's list may take before its grants are read per place instead. */
  private principalPages = 0;

  constructor(
    private readonly settings: AwsSessionSettings,
    private readonly session: SsoSession,
  ) {}

  /**
   * Chooses the read for these grants: per principal when their principals are fewer than their
   * places (account × permission set), each principal's list then allowed as many pages as its
   * share of the places would cost.
   */
  plan(grants: readonly AwsGrant[]): void {
    const principals = new Set(grants.map(principalKeyOf));
    const places = new Set(
      grants.map((g) => placeKey(g.accountId, g.resolved?.roleId ?? JSON.stringify(g.permissionSet))),
    );
    this.principalPages = principals.size < places.size ? Math.floor(places.size / principals.size) : 0;
  }

  /** Whether the assignment exists, as the chosen read shows it. */
  async find(ids: AwsResolvedIds): Promise<boolean> {
    if (this.principalPages > 0) {
      const held = await this.ofPrincipal(ids.principalId);
      if (held) return held.has(placeKey(ids.accountId, ids.roleId));
    }
    const principals = await this.atPlace(ids.accountId, ids.roleId);
    return principals.has(ids.principalId);
  }

  /** The principals of `principal-type` assigned this permission set in this account. */
  private atPlace(accountId: string, permissionSetArn: string): Promise<Set<string>> {
    return this.reads.get(`place:${placeKey(accountId, permissionSetArn)}`, async () => {
      const listed = await this.session.paginate(
        'ListAccountAssignments',
        (nextToken) =>
          new ListAccountAssignmentsCommand({
            InstanceArn: this.session.instance,
            AccountId: accountId,
            PermissionSetArn: permissionSetArn,
            NextToken: nextToken,
          }),
        (page) => page.AccountAssignments,
      );
      return new Set(
        listed.flatMap((a) =>
          a.PrincipalType === this.settings.principalType && a.PrincipalId ? [a.PrincipalId] : [],
        ),
      );
    });
  }

  /**
   * The places (account × permission set) a principal is assigned, or undefined when it is
   * cheaper, or only possible, to read its grants per place: its list runs past its share of
   * pages, or this account may not list by principal (then no principal is read so again).
   */
  private ofPrincipal(principalId: string): Promise<Set<string> | undefined> {
    return this.reads.get(`principal:${principalId}`, async () => {
      const held = new Set<string>();
      let nextToken: string | undefined;
      for (let pages = 0; ; pages++) {
        if (pages === this.principalPages) return undefined;
        let page;
        try {
          page = await this.session.send(
            'ListAccountAssignmentsForPrincipal',
            new ListAccountAssignmentsForPrincipalCommand({
              InstanceArn: this.session.instance,
              PrincipalId: principalId,
              PrincipalType: this.settings.principalType,
              MaxResults: LIST_PAGE,
              NextToken: nextToken,
            }),
          );
        } catch (error) {
          // A delegated administrator is refused (AccessDenied), an account instance's call is
          // not valid (ValidationException): the per-place read answers the same.
          if (!isAwsError(error, 'AccessDeniedException') && !isAwsError(error, 'ValidationException'))
            throw error;
          this.principalPages = 0;
          return undefined;
        }
        for (const a of page.AccountAssignments ?? [])
          if (a.PrincipalId === principalId && a.PrincipalType === this.settings.principalType)
            held.add(placeKey(a.AccountId ?? '', a.PermissionSetArn ?? ''));
        nextToken = page.NextToken;
        if (!nextToken) return held;
      }
    });
  }
}

function principalKeyOf(grant: AwsGrant): string {
  if (grant.resolved) return grant.resolved.principalId;
  return grant.principal.kind === 'id' ? grant.principal.id : `name:${grant.principal.name}`;
}
