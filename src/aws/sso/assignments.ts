// IAM Identity Center account assignments behind the engine's GrantDriver interface, over the
// step's SsoSession.
import { CloudAccessError } from '../../core/errors.js';
import type { AwsSessionSettings } from '../../core/inputs/index.js';
import type { NameFields } from '../../core/shown-names.js';
import type { AwsGrant, AwsResolvedIds } from '../../core/types.js';
import type { WaitBound } from '../../engine/limits/deadline.js';
import type {
  CallStats,
  ExistingAssignment,
  GrantDriver,
  Preparation,
  WriteOutcome,
} from '../../engine/calls/driver.js';
import type { CreateProof, OwnCreate, RelianceRemake } from '../../engine/calls/ownership-proofs.js';
import type { StatusSnapshot } from '../../engine/calls/status.js';
import type { AwsHandedOver, AwsPostGiven } from './handed-over.js';
import { ExistingAssignments } from './existing-assignments.js';
import { CreateOwnershipProver } from './ownership-proof.js';
import { StepReliances } from './step-reliances.js';
import { RequestHistory } from '../trail/request-history.js';
import { stillOwn } from './still-own.js';
import { snapshotOf, type AssignmentFields } from '../trail/requests.js';
import { AssignmentRequests } from './assignment-requests.js';
import type { SsoSession } from './session.js';

export class AwsAssignmentDriver implements GrantDriver<AwsGrant> {
  readonly cloud = 'aws' as const;
  readonly stats: CallStats;
  /** Which grants exist, read per principal or per place, whichever takes fewer calls. */
  private readonly existing: ExistingAssignments;

  /** Whether a create of this step's that SUCCEEDED made the assignment (ownership-proof.ts). */
  private readonly prover: CreateOwnershipProver;
  /** The instance's create and delete requests, listed and described once each. */
  private readonly history: RequestHistory;
  /** The creates and deletes as sent (./assignment-requests.ts). */
  private readonly requests: AssignmentRequests;
  /** This step's answered creates: when IAM Identity Center stamped each, and when the answer came. */
  private readonly answered = new Map<string, { createdAt: number | undefined; answeredAt: number }>();
  /** The step's reliances on grants found in place (./step-reliances.ts). */
  private readonly reliances: StepReliances;

  constructor(
    private readonly settings: AwsSessionSettings,
    private readonly session: SsoSession,
    /** The step's deadline and cancellation: waits for a create slot end with them. */
    bound: WaitBound,
    /** Post step: what the main step's driver handed over, and its own creates (./handed-over.ts). */
    saved?: AwsPostGiven,
  ) {
    this.stats = session.stats;
    this.existing = new ExistingAssignments(settings, session);
    this.history = new RequestHistory(session);
    this.requests = new AssignmentRequests(session, this.history, bound);
    this.prover = new CreateOwnershipProver(session, this.history, saved?.creationsAtRead);
    this.reliances = new StepReliances(this.history, this.prover);
    for (const requestId of saved?.ownCreates ?? []) this.prover.sent(requestId);
  }

  postState(): AwsHandedOver {
    const creationsAtRead = this.prover.creationsAtRead;
    return { instanceArn: this.session.instance, ...(creationsAtRead ? { creationsAtRead } : {}) };
  }

  /**
   * Signs in and finds the instance; with revoke-on-exit, notes the creates running before the
   * step reads anything, which its creates' ownership is proven against.
   */
  async prepare(preparation?: Preparation<AwsGrant>): Promise<void> {
    const unresolved = preparation?.grants.filter((g) => !g.resolved) ?? [];
    await this.session.prepare({ identityStore: unresolved.length > 0 });
    // Every ID's type confirmed before any grant writes (aws/directory/principal-types.ts): one the identity
    // store does not confirm stops the step here, naming the input.
    const ids = new Set(unresolved.flatMap((g) => (g.principal.kind === 'id' ? [g.principal.id] : [])));
    await Promise.all([...ids].map((id) => this.session.principalId({ kind: 'id', id }))).catch(
      (error: unknown) => {
        if (!(error instanceof CloudAccessError)) throw error;
        throw new CloudAccessError(`\`principal\`: ${error.message}`, {
          input: 'principal',
          fix: error.fix ?? '',
        });
      },
    );
    if (preparation) this.existing.plan(preparation.grants);
    if (preparation?.proveOwnership) {
      const [, deletesRunning] = await Promise.all([
        this.prover.snapshot(),
        this.settings.relianceSessionName ? this.reliances.runningDeletes(this.session) : undefined,
      ]);
      const takenAt = this.prover.creationsAtRead?.takenAt;
      if (takenAt !== undefined) this.reliances.readBegan(takenAt, deletesRunning);
    }
  }

  async resolve(grant: AwsGrant): Promise<AwsResolvedIds> {
    const [principalId, roleId] = await Promise.all([
      this.session.principalId(grant.principal),
      this.session.permissionSetArn(grant.permissionSet),
    ]);
    return {
      cloud: 'aws',
      principalId,
      principalType: this.settings.principalType,
      accountId: grant.accountId,
      roleId,
    };
  }

  /** The principal's name, where a read the step made answered it (a lookup by name, an ID confirmed). */
  namesOf(ids: AwsResolvedIds): NameFields {
    const principalName = this.session.principalNames.get(ids.principalId);
    return principalName ? { principalName } : {};
  }

  /** One read per principal or per account × permission set, shared by every grant that needs it. */
  async findExisting(ids: AwsResolvedIds): Promise<ExistingAssignment | undefined> {
    return (await this.existing.find(ids)) ? {} : undefined;
  }

  create(ids: AwsResolvedIds): Promise<WriteOutcome> {
    return this.requests.create(this.session, this.fields(ids), (status) => {
      if (!status?.RequestId) return;
      this.prover.sent(status.RequestId);
      this.answered.set(status.RequestId, {
        createdAt: status.CreatedDate?.getTime(),
        answeredAt: Date.now(),
      });
    });
  }

  /**
   * The run's reliance on a grant found in place: the same create again, under the step's second
   * sign-in (`…-r`), which a sweep reads as a run the grant must outlive, never as its creation.
   * IAM Identity Center answers a duplicate create SUCCEEDED and keeps one assignment. Not one of
   * the step's own creates: nothing proves or saves it, so the post step never revokes the grant,
   * and to the run that made it this is another party's create after its own, which its post step
   * leaves in place (./still-own.ts); unless the grant was deleted after the step's read, and the
   * reliance made it again (`relianceRemade`). One second sign-in per step, on the first reliance.
   */
  async registerReliance(ids: AwsResolvedIds): Promise<WriteOutcome | undefined> {
    const name = this.settings.relianceSessionName;
    if (!name) return undefined;
    return this.requests.create(
      this.reliances.session(this.session, name),
      this.fields(ids),
      (status, sentAt) => this.reliances.answered(status, sentAt),
    );
  }

  /** Whether the reliance `requestId` made the grant again (./step-reliances.ts). */
  relianceRemade(
    ids: AwsResolvedIds,
    requestId: string,
    ended: boolean,
  ): Promise<RelianceRemake | undefined> {
    return this.reliances.remade(this.fields(ids), requestId, ended);
  }

  remove(ids: AwsResolvedIds): Promise<WriteOutcome> {
    return this.requests.delete(this.fields(ids));
  }

  async readCreate(requestId: string): Promise<StatusSnapshot> {
    return snapshotOf(await this.history.status('create', requestId), 'create');
  }

  /**
   * Whether this step's create `requestId`, which ended SUCCEEDED, made the assignment rather than
   * another party's create that raced it (ownership-proof.ts).
   */
  async proveCreated(ids: AwsResolvedIds, requestId: string, answeredAt?: number): Promise<CreateProof> {
    let answered = this.answered.get(requestId);
    if (!answered) {
      // The post step: the main step heard the create accepted; when it was made, Describe says.
      const status = await this.history.status('create', requestId);
      const createdAt = status?.CreatedDate?.getTime();
      if (createdAt === undefined)
        return { created: false, why: `IAM Identity Center gives no creation time for request ${requestId}` };
      // Without the main step's answer time, now: the earliest "since" it can be, the widest window.
      answered = { createdAt, answeredAt: answeredAt ?? Date.now() };
    }
    if (answered.createdAt === undefined)
      return { created: false, why: `IAM Identity Center gave no creation time for request ${requestId}` };
    return this.prover.prove(this.fields(ids), { requestId, ...answered, createdAt: answered.createdAt });
  }

  /**
   * Post step, before a delete: whether the assignment this step's create `requestId` made is still
   * the one it made. IAM Identity Center keeps no owner on an assignment, so a create that proved
   * the step's once is not final: a reconcile or a person may have deleted it since, and another
   * job created it again. Any delete of it, or create of it by another party,
   * stamped at or after the step's own create and not FAILED, leaves it in place.
   */
  stillOwn(ids: AwsResolvedIds, requestId: string, sentAt: number): Promise<CreateProof> {
    return stillOwn(this.history, this.fields(ids), { requestId, sentAt, all: this.prover.ownRequests });
  }

  /**
   * A create the main step sent without hearing back: IAM Identity Center's creation-status list
   * does not say who sent a request, so nothing it shows can prove the create was this step's. It
   * may be, when a create request for it since the step sent its own is still running, or the
   * assignment is there: then it is left in place, and the post step's warning says so. With
   * neither there is nothing to revoke (requests are read first, so one that ends meanwhile shows).
   */
  async findOwnCreate(ids: AwsResolvedIds): Promise<OwnCreate> {
    const why =
      "the answer to this step's create was lost, and IAM Identity Center does not record who sent a create request, so the assignment cannot be shown to be this step's";
    const running = await this.prover.runningCreateFor(this.fields(ids));
    if (running)
      return {
        ownership: 'not-created',
        why: `${why}; a create request for it (${running.RequestId ?? 'no ID'}) is still IN_PROGRESS, and may make it`,
        mayBeOwn: true,
      };
    if (await this.findExisting(ids)) return { ownership: 'not-created', why, mayBeOwn: true };
    return {
      ownership: 'not-created',
      why: "the answer to this step's create was lost, and IAM Identity Center shows neither the assignment nor a create request for it still running",
      absent: true,
    };
  }

  private fields(ids: AwsResolvedIds): AssignmentFields {
    return {
      TargetId: ids.accountId,
      TargetType: 'AWS_ACCOUNT',
      PermissionSetArn: ids.roleId,
      PrincipalType: this.settings.principalType,
      PrincipalId: ids.principalId,
    };
  }
}
