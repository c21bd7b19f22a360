export const id = 90;
export const ids = [90];
export const modules = {

/***/ 7090:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createAwsDriver: () => (/* binding */ createAwsDriver),
  createAwsProvisioner: () => (/* binding */ createAwsProvisioner)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sso-admin/dist-cjs/index.js
var dist_cjs = __webpack_require__(1488);
// EXTERNAL MODULE: ./src/engine/limits.ts
var limits = __webpack_require__(7100);
// EXTERNAL MODULE: ./src/engine/shared-reads.ts
var shared_reads = __webpack_require__(5461);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/engine/network.ts
var network = __webpack_require__(300);
;// CONCATENATED MODULE: ./src/aws/errors.ts
// Which AWS errors to retry and how to explain the others. The SDK's own retries are off
// (maxAttempts 1) so that one engine owns backoff and the deadline. Errors are judged by the
// service's error name (the model's shape name) and HTTP status, never by a service's message;
// only connection failures, which have no answer to judge, are recognised by their text too.


/**
 * A call the service answered with an error that is not retried: the explanation the user reads
 * (message and fix), and what the adapter decides on (the error's name) and what AWS Support asks
 * for (the request ID).
 */
class AwsServiceError extends errors/* CloudAccessError */.Ye {
    /** The operation that failed, e.g. `DeleteAccountAssignment`. */
    operation;
    /** The service's error name (the model's error shape), e.g. `ResourceNotFoundException`. */
    code;
    statusCode;
    requestId;
    constructor(message, details, options = {}) {
        super(message, options);
        this.name = 'AwsServiceError';
        this.operation = details.operation;
        this.code = details.code;
        this.statusCode = details.statusCode;
        this.requestId = details.requestId;
    }
}
/** Whether `error` is the service's answer `code` (e.g. ResourceNotFoundException) to a call. */
function isAwsError(error, code, operation) {
    return (error instanceof AwsServiceError &&
        error.code === code &&
        (operation === undefined || error.operation === operation));
}
const THROTTLING = new Set([
    'ThrottlingException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'Throttling',
    'ThrottledException',
    'SlowDown',
]);
/** STS: "IdP unreachable (often transient)": retry a limited number of times (model docs). */
const TRANSIENT_STS = new Set(['IDPCommunicationErrorException', 'IDPCommunicationError']);
/** The IAM action a denied operation needs: the service prefix is the client's. */
function permissionFor(operation) {
    const identityStore = [
        'GetUserId',
        'GetGroupId',
        'DescribeUser',
        'DescribeGroup',
        'ListUsers',
        'ListGroups',
    ];
    return `${identityStore.includes(operation) ? 'identitystore' : 'sso'}:${operation}`;
}
/** The writes whose denial may come from the iam:* and organizations:* actions they also need. */
const WRITES = new Set(['CreateAccountAssignment', 'DeleteAccountAssignment', 'ProvisionPermissionSet']);
/** Final errors by name: what went wrong and how to fix it. */
const EXPLANATIONS = new Map([
    ...forNames(['AccessDeniedException', 'AccessDenied'], {
        message: (f) => `${f.operation} was denied${f.detail}${f.requestId}`,
        fix: (f) => `allow \`${permissionFor(f.operation)}\` in the policy of the role the action uses${WRITES.has(f.operation)
            ? ' (with the iam:* and organizations:* actions listed in the README); assignments to the management account need its own credentials'
            : ''}`,
    }),
    ...forNames(['ValidationException'], {
        message: (f) => `${f.operation} rejected the request as invalid${f.detail}${f.requestId}`,
        fix: 'check `instance-arn`, `role`, `target` and `principal`',
    }),
    ...forNames(['ResourceNotFoundException'], {
        message: (f) => `${f.operation}: not found${f.detail}${f.requestId}`,
        fix: 'check that `instance-arn`, `role` and `principal` exist in this instance and Region (`aws-region`)',
    }),
    ...forNames(['ServiceQuotaExceededException'], {
        message: (f) => `${f.operation}: a service quota is exhausted${f.detail}${f.requestId}`,
        fix: 'see the IAM Identity Center quotas; some cannot be raised',
    }),
    ...forNames(['ExpiredTokenException', 'UnrecognizedClientException', 'InvalidSignatureException'], {
        message: (f) => `${f.operation}: AWS did not accept the credentials (${f.name}${f.detail})`,
        fix: 'pass `role-to-assume`, or run configure-aws-credentials before this step',
    }),
    ...forNames(['CredentialsProviderError'], {
        message: (f) => `no AWS credentials were found${f.detail}`,
        fix: 'pass `role-to-assume` to use the GitHub OIDC token, or run configure-aws-credentials before this step',
    }),
]);
/** Any other error: named, with the service's message and request ID, without a fix. */
const UNEXPLAINED = {
    message: (f) => `${f.operation} failed (${f.name || 'error'}${f.detail})${f.requestId}`,
};
function forNames(names, explanation) {
    return names.map((name) => [name, explanation]);
}
function classifyAwsError(error, operation) {
    if (error instanceof errors/* CloudAccessError */.Ye)
        return { action: 'fail', error };
    const e = (error ?? {});
    const name = e.name ?? '';
    const status = e.$metadata?.httpStatusCode;
    if (THROTTLING.has(name) || status === 429) {
        return {
            action: 'retry',
            kind: 'throttled',
            ...(e.RetryAfterSeconds ? { retryAfterMs: e.RetryAfterSeconds * 1000 } : {}),
        };
    }
    // "A retry (with appropriate backoff logic) is the recommended response" (SSO Admin model).
    if (name === 'ConflictException')
        return { action: 'retry', kind: 'conflict' };
    if (TRANSIENT_STS.has(name))
        return { action: 'retry', kind: 'server' };
    if (e.$fault === 'server' || (status !== undefined && status >= 500))
        return { action: 'retry', kind: 'server' };
    // The host comes from `aws-region`: one that does not resolve is a wrong Region, not a blip.
    if ((0,network/* isNetworkError */.T)(error, { hostNotFound: false }))
        return { action: 'retry', kind: 'network' };
    const failure = {
        operation,
        name,
        detail: e.message ? `: ${e.message}` : '',
        requestId: e.$metadata?.requestId ? ` (request ${e.$metadata.requestId})` : '',
    };
    const { message, fix } = EXPLANATIONS.get(name) ?? UNEXPLAINED;
    const text = message(failure);
    const fixText = typeof fix === 'function' ? fix(failure) : fix;
    // An HTTP status means the service answered: its error name is a code the adapter may act on.
    // Anything else (no credentials, a client-side failure) has only its explanation.
    if (status === undefined)
        return { action: 'fail', error: new errors/* CloudAccessError */.Ye(text, { fix: fixText }) };
    return {
        action: 'fail',
        error: new AwsServiceError(text, { operation, code: name, statusCode: status, requestId: e.$metadata?.requestId }, { fix: fixText, cause: error }),
    };
}

;// CONCATENATED MODULE: ./src/aws/requests.ts
/**
 * How long an account assignment request is expected to run before the batch shows otherwise:
 * about two seconds when the permission set is already provisioned in the account (longer when
 * the create must provision it, which the batch then learns).
 */
const ASSIGNMENT_REQUEST_EXPECTED_MS = 2_000;
/** Deleting what is already gone may be accepted and then fail with this (terraform-provider-aws). */
const ENTITLEMENT_MISSING = /EntitlementItem doesn't exist/i;
/** One status read as the engine's snapshot; a delete of what was already gone SUCCEEDED, unchanged. */
function snapshotOf(status, kind) {
    const value = status?.Status ?? 'IN_PROGRESS';
    if (kind === 'delete' && value === 'FAILED' && ENTITLEMENT_MISSING.test(status?.FailureReason ?? '')) {
        return { status: 'SUCCEEDED', changed: false };
    }
    if (value === 'FAILED')
        return { status: 'FAILED', failureReason: status?.FailureReason ?? 'FAILED without a FailureReason' };
    return { status: value === 'SUCCEEDED' ? 'SUCCEEDED' : 'IN_PROGRESS' };
}
/**
 * The outcome of a write from the status it answered with: done or failed at once, or pending,
 * followed with `describe` at the pace `pacing` sets, and holding its quota slot (`release`)
 * until it ends.
 */
function writeOutcome(status, kind, release, describe, pacing) {
    const requestId = status?.RequestId ?? '';
    const first = snapshotOf(status, kind);
    if (first.status !== 'IN_PROGRESS') {
        release();
        return first.status === 'SUCCEEDED'
            ? { kind: 'done', requestId, changed: first.changed ?? true }
            : { kind: 'failed', requestId, failureReason: first.failureReason ?? 'FAILED' };
    }
    return {
        kind: 'pending',
        request: {
            requestId,
            release,
            poll: async () => snapshotOf(await describe(requestId), kind),
            ...(pacing ? { pacing } : {}),
        },
    };
}
/** Whether a create request's status is for exactly this assignment. */
function isRequestFor(status, fields) {
    return (status.TargetId === fields.TargetId &&
        status.PermissionSetArn === fields.PermissionSetArn &&
        status.PrincipalId === fields.PrincipalId &&
        status.PrincipalType === fields.PrincipalType);
}

;// CONCATENATED MODULE: ./src/aws/assignments.ts
// IAM Identity Center account assignments behind the engine's GrantDriver interface, over the
// step's SsoSession.





/** "The CreateAccountAssignment write API has a limit of 15 outstanding asynchronous calls" (User Guide, quotas). */
const MAX_OUTSTANDING_CREATES = 15;
class AwsAssignmentDriver {
    config;
    session;
    bound;
    cloud = 'aws';
    stats;
    /** Lists that serve several grants: assignments per account × permission set, recent create requests. */
    reads = new shared_reads/* SharedReads */.z();
    outstandingCreates = new limits/* Semaphore */.jf(MAX_OUTSTANDING_CREATES, `one of the ${MAX_OUTSTANDING_CREATES} outstanding CreateAccountAssignment requests to finish`);
    /**
     * Creates and deletes are followed apart: each kind has its own completion time, and one
     * List…Status call reads every outstanding request of its kind.
     */
    pacing = {
        create: this.pacingOf('create'),
        delete: this.pacingOf('delete'),
    };
    constructor(config, session, 
    /** The step's deadline and cancellation: waits for a create slot end with them. */
    bound) {
        this.config = config;
        this.session = session;
        this.bound = bound;
        this.stats = session.stats;
    }
    postState() {
        return { instanceArn: this.session.instance };
    }
    prepare() {
        return this.session.prepare();
    }
    async resolve(grant) {
        const [principalId, roleId] = await Promise.all([
            this.session.principalId(grant.principal),
            this.session.permissionSetArn(grant.permissionSet),
        ]);
        return { principalId, targetId: grant.accountId, roleId };
    }
    /** One ListAccountAssignments per account and permission set, shared by every grant that needs it. */
    async findExisting(ids) {
        const assignments = await this.reads.get(`assignments:${ids.targetId}:${ids.roleId}`, () => this.session.paginate('ListAccountAssignments', (nextToken) => new dist_cjs/* ListAccountAssignmentsCommand */.hjp({
            InstanceArn: this.session.instance,
            AccountId: ids.targetId,
            PermissionSetArn: ids.roleId,
            NextToken: nextToken,
        }), (page) => page.AccountAssignments));
        const found = assignments.find((a) => a.PrincipalId === ids.principalId && a.PrincipalType === this.config.principalType);
        return found ? {} : undefined;
    }
    /** Holds one of the 15 outstanding-create slots until the request ends. */
    async create(ids) {
        const release = await this.outstandingCreates.acquire('CreateAccountAssignment', this.bound);
        try {
            const { AccountAssignmentCreationStatus: status } = await this.session.send('CreateAccountAssignment', new dist_cjs/* CreateAccountAssignmentCommand */.w0d({ InstanceArn: this.session.instance, ...this.fields(ids) }));
            return writeOutcome(status, 'create', release, (requestId) => this.describeCreation(requestId), this.pacing.create);
        }
        catch (error) {
            release();
            throw error;
        }
    }
    async remove(ids) {
        try {
            const { AccountAssignmentDeletionStatus: status } = await this.session.send('DeleteAccountAssignment', new dist_cjs/* DeleteAccountAssignmentCommand */.bpr({ InstanceArn: this.session.instance, ...this.fields(ids) }));
            return writeOutcome(status, 'delete', () => { }, (requestId) => this.describeDeletion(requestId), this.pacing.delete);
        }
        catch (error) {
            // Already gone: terraform-provider-aws treats ResourceNotFoundException on delete as done.
            if (isAwsError(error, 'ResourceNotFoundException', 'DeleteAccountAssignment')) {
                return { kind: 'done', changed: false, alreadyExisted: true };
            }
            throw error;
        }
    }
    async followCreate(requestId) {
        return snapshotOf(await this.describeCreation(requestId), 'create');
    }
    /**
     * A create request for exactly this account, permission set and principal made since `since`:
     * ListAccountAssignmentCreationStatus gives the instance's recent requests (IDs and times, once
     * for every grant), and one Describe each of those since `since` says what it was for.
     */
    async findOwnCreate(ids, since) {
        const recent = await this.reads.get('creation-requests', () => this.createRequestsSince(since));
        const fields = this.fields(ids);
        let failed = false;
        let unread;
        let inProgress;
        for (const request of recent) {
            let status;
            try {
                status = await this.reads.get(`creation-request:${request.RequestId}`, () => this.describeCreation(request.RequestId));
            }
            catch (error) {
                // One unreadable request does not decide the others; it matters only if nothing matches.
                unread = error;
                continue;
            }
            if (!status || !isRequestFor(status, fields))
                continue;
            if (status.Status === 'SUCCEEDED')
                return { ownership: 'created', requestId: request.RequestId };
            if (status.Status === 'IN_PROGRESS')
                inProgress ??= request.RequestId;
            else
                failed = true;
        }
        if (inProgress)
            return { ownership: 'accepted', requestId: inProgress };
        if (unread !== undefined)
            throw unread;
        return {
            ownership: 'not-created',
            why: failed
                ? 'the create request this step sent for it FAILED'
                : 'IAM Identity Center shows no create request for it since this step sent one',
        };
    }
    /** The instance's create requests made since `since` (epoch ms), with their IDs. */
    async createRequestsSince(since) {
        const all = await this.session.paginate('ListAccountAssignmentCreationStatus', (nextToken) => new dist_cjs/* ListAccountAssignmentCreationStatusCommand */.noI({
            InstanceArn: this.session.instance,
            NextToken: nextToken,
        }), (page) => page.AccountAssignmentsCreationStatus);
        return all.filter((r) => r.RequestId && r.CreatedDate && r.CreatedDate.getTime() >= since);
    }
    pacingOf(kind) {
        return {
            key: `aws:${kind}`,
            expectedMs: ASSIGNMENT_REQUEST_EXPECTED_MS,
            readMany: (requestIds) => this.readRecentRequests(kind, requestIds),
        };
    }
    /**
     * The status of the instance's most recent requests of this kind, one page of 100 (one call):
     * those of `requestIds` it shows running or succeeded. A failed one is left out, for a Describe
     * to give its reason; so is one the page does not show (the follower stops asking when pages
     * stop showing the requests it asks about).
     */
    async readRecentRequests(kind, requestIds) {
        const page = kind === 'create'
            ? (await this.session.send('ListAccountAssignmentCreationStatus', new dist_cjs/* ListAccountAssignmentCreationStatusCommand */.noI({
                InstanceArn: this.session.instance,
                MaxResults: 100,
            }))).AccountAssignmentsCreationStatus
            : (await this.session.send('ListAccountAssignmentDeletionStatus', new dist_cjs/* ListAccountAssignmentDeletionStatusCommand */.OHK({
                InstanceArn: this.session.instance,
                MaxResults: 100,
            }))).AccountAssignmentsDeletionStatus;
        const wanted = new Set(requestIds);
        const shown = new Map();
        for (const request of page ?? []) {
            if (!request.RequestId || !wanted.has(request.RequestId))
                continue;
            if (request.Status === 'SUCCEEDED')
                shown.set(request.RequestId, { status: 'SUCCEEDED' });
            else if (request.Status === 'IN_PROGRESS')
                shown.set(request.RequestId, { status: 'IN_PROGRESS' });
        }
        return shown;
    }
    async describeCreation(requestId) {
        const { AccountAssignmentCreationStatus: status } = await this.session.send('DescribeAccountAssignmentCreationStatus', new dist_cjs/* DescribeAccountAssignmentCreationStatusCommand */.eTH({
            InstanceArn: this.session.instance,
            AccountAssignmentCreationRequestId: requestId,
        }));
        return status;
    }
    async describeDeletion(requestId) {
        const { AccountAssignmentDeletionStatus: status } = await this.session.send('DescribeAccountAssignmentDeletionStatus', new dist_cjs/* DescribeAccountAssignmentDeletionStatusCommand */.PSg({
            InstanceArn: this.session.instance,
            AccountAssignmentDeletionRequestId: requestId,
        }));
        return status;
    }
    fields(ids) {
        return {
            TargetId: ids.targetId,
            TargetType: 'AWS_ACCOUNT',
            PermissionSetArn: ids.roleId,
            PrincipalType: this.config.principalType,
            PrincipalId: ids.principalId,
        };
    }
}

// EXTERNAL MODULE: ./src/engine/follow.ts + 1 modules
var follow = __webpack_require__(6411);
;// CONCATENATED MODULE: ./src/aws/provision-plan.ts
/** "ALL_PROVISIONED_ACCOUNTS … reaches at most 3,500 accounts" (User Guide, quotas). */
const ALL_ACCOUNTS_LIMIT = 3500;
const ALL_PROVISIONED_ACCOUNTS = 'ALL_PROVISIONED_ACCOUNTS';
/**
 * The cheaper request plan. One ALL_PROVISIONED_ACCOUNTS request re-provisions every account the
 * permission set is provisioned to, current ones included; per-account requests touch only the
 * outdated ones but cost a call (and a slot of the 3 concurrent) each. One request wins when more
 * than half of the provisioned accounts are outdated and the user asked for all of them.
 */
function chooseProvisionPlan(outdated, provisionedCount, allAccountsAsked) {
    if (outdated.length === 0)
        return { mode: 'none', accounts: [] };
    if (allAccountsAsked &&
        outdated.length > 1 &&
        outdated.length * 2 > provisionedCount &&
        provisionedCount <= ALL_ACCOUNTS_LIMIT) {
        return { mode: 'all-provisioned-accounts', accounts: outdated };
    }
    return { mode: 'per-account', accounts: outdated };
}
/** The plan for one permission set, from the accounts it is outdated and current in. */
function planProvision(scope, outdatedAll, currentAll) {
    const { allAsked, targets, onlyOutdated } = scope;
    const inScope = (accounts) => (allAsked ? accounts : accounts.filter((a) => targets.includes(a)));
    const outdated = inScope(outdatedAll);
    const current = inScope(currentAll);
    const choice = onlyOutdated
        ? chooseProvisionPlan(outdated, outdatedAll.length + currentAll.length, allAsked)
        : allAsked
            ? { mode: 'all-provisioned-accounts', accounts: [...outdatedAll, ...currentAll] }
            : { mode: 'per-account', accounts: targets };
    const notProvisioned = onlyOutdated || allAsked
        ? []
        : targets.filter((t) => !outdatedAll.includes(t) && !currentAll.includes(t));
    const alreadyCurrent = onlyOutdated ? current : [];
    const detail = {
        requestPlan: choice.mode,
        outdated,
        alreadyCurrent,
        ...(notProvisioned.length ? { notProvisionedBefore: notProvisioned } : {}),
    };
    return { choice, detail };
}
/** A provisioning status read as an outcome for `account` (or ALL_PROVISIONED_ACCOUNTS). */
function outcomeOf(account, requestId, status) {
    return {
        account,
        requestId,
        status: status?.Status === 'SUCCEEDED' ? 'SUCCEEDED' : status?.Status === 'FAILED' ? 'FAILED' : 'IN_PROGRESS',
        ...(status?.FailureReason ? { failureReason: status.FailureReason } : {}),
    };
}
/**
 * The requests' outcomes for one permission set. After an ALL_PROVISIONED_ACCOUNTS request that
 * ended, `stillOutdated` (the accounts outdated afterwards) says which accounts it failed for.
 */
function summariseProvision(outcomes, choice, stillOutdated, deadlineSeconds) {
    const perAccount = outcomes.filter((o) => o.account !== ALL_PROVISIONED_ACCOUNTS);
    let failed = perAccount
        .filter((o) => o.status === 'FAILED')
        .map((o) => ({ account: o.account, reason: o.failureReason ?? 'FAILED' }));
    let reprovisioned = perAccount.filter((o) => o.status === 'SUCCEEDED').map((o) => o.account);
    const whole = outcomes.find((o) => o.account === ALL_PROVISIONED_ACCOUNTS);
    if (whole && whole.status !== 'IN_PROGRESS' && stillOutdated) {
        // One request covered every account: the accounts still outdated afterwards are the ones that failed.
        failed = choice.accounts
            .filter((a) => stillOutdated.has(a))
            .map((account) => ({
            account,
            reason: whole.failureReason ?? 'still outdated after ALL_PROVISIONED_ACCOUNTS provisioning',
        }));
        reprovisioned = choice.accounts.filter((a) => !stillOutdated.has(a));
    }
    const inProgress = outcomes.filter((o) => o.status === 'IN_PROGRESS');
    const status = failed.length > 0 || (whole?.status === 'FAILED' && failed.length === 0 && reprovisioned.length === 0)
        ? 'FAILED'
        : inProgress.length > 0
            ? 'IN_PROGRESS'
            : 'SUCCEEDED';
    const failureReason = failed.length > 0
        ? failed.map((f) => `${f.account}: ${f.reason}`).join('; ')
        : inProgress.length > 0
            ? `still IN_PROGRESS when the ${deadlineSeconds}s deadline passed: ${inProgress.map((o) => o.requestId).join(', ')}`
            : whole?.failureReason;
    return {
        status,
        changed: reprovisioned.length > 0 || inProgress.length > 0,
        requestId: outcomes.find((o) => o.requestId)?.requestId,
        failureReason,
        reprovisioned,
        failed,
        inProgress,
    };
}

;// CONCATENATED MODULE: ./src/aws/provisioning.ts
// Re-provisioning permission sets to the accounts where they are out of date: after a permission
// set's policies change, IAM Identity Center marks every account it is provisioned to as
// LATEST_PERMISSION_SET_NOT_PROVISIONED until ProvisionPermissionSet runs for it.





/** "You can make up to three concurrent calls to ProvisionPermissionSet" (User Guide, quotas). */
const MAX_CONCURRENT_PROVISIONS = 3;
/**
 * Provisioning requests are read at the pace their completions show, starting from a few
 * seconds (a permission set is pushed to an account as an IAM role); at most three run at once,
 * so each is read on its own.
 */
const PROVISION_PACING = { key: 'aws:provision', expectedMs: 3_000 };
class PermissionSetProvisioner {
    config;
    asked;
    session;
    deadline;
    slots = new limits/* Semaphore */.jf(MAX_CONCURRENT_PROVISIONS, `one of the ${MAX_CONCURRENT_PROVISIONS} concurrent ProvisionPermissionSet requests to finish`);
    /** Follows every provisioning request of the step, learning how long they take. */
    follower;
    constructor(config, asked, session, deadline) {
        this.config = config;
        this.asked = asked;
        this.session = session;
        this.deadline = deadline;
        this.follower = new follow/* RequestFollower */.sx({ deadline });
    }
    /** The permission sets `role` names: ARNs, names, or `*` for all of them. */
    async permissionSets() {
        const byName = await this.session.permissionSetsByName();
        const asked = this.asked.permissionSets;
        if (asked === '*')
            return [...byName].map(([name, arn]) => ({ arn, name }));
        const nameOf = new Map([...byName].map(([name, arn]) => [arn, name]));
        return Promise.all(asked.map(async (ref) => {
            const arn = await this.session.permissionSetArn(ref);
            return { arn, name: nameOf.get(arn) ?? (ref.kind === 'arn' ? ref.arn : ref.name) };
        }));
    }
    /** The accounts the permission set is provisioned to, in `status` when given. */
    accounts(permissionSetArn, status) {
        return this.session.paginate('ListAccountsForProvisionedPermissionSet', (nextToken) => new dist_cjs/* ListAccountsForProvisionedPermissionSetCommand */.iu4({
            InstanceArn: this.session.instance,
            PermissionSetArn: permissionSetArn,
            ...(status ? { ProvisioningStatus: status } : {}),
            NextToken: nextToken,
        }), (page) => page.AccountIds);
    }
    async provision(permissionSet) {
        const started = Date.now();
        const allAsked = this.asked.accounts === ALL_PROVISIONED_ACCOUNTS;
        const targets = allAsked ? [] : this.asked.accounts;
        const base = baseResult(permissionSet, allAsked ? ALL_PROVISIONED_ACCOUNTS : targets.join(','));
        try {
            const [outdatedAll, currentAll] = await Promise.all([
                this.accounts(permissionSet.arn, 'LATEST_PERMISSION_SET_NOT_PROVISIONED'),
                this.accounts(permissionSet.arn, 'LATEST_PERMISSION_SET_PROVISIONED'),
            ]);
            const scope = { allAsked, targets, onlyOutdated: this.config.onlyOutdated };
            const { choice, detail } = planProvision(scope, outdatedAll, currentAll);
            if (choice.mode === 'none' || this.config.dryRun) {
                return {
                    ...base,
                    status: 'SUCCEEDED',
                    changed: false,
                    change: choice.mode === 'none' ? 'none' : 'provision',
                    durationMs: Date.now() - started,
                    detail: this.config.dryRun ? { ...detail, wouldProvision: choice.accounts } : detail,
                };
            }
            const outcomes = await this.requests(permissionSet.arn, choice);
            const summary = summariseProvision(outcomes, choice, await this.stillOutdated(permissionSet.arn, outcomes), this.deadline.seconds);
            return {
                ...base,
                status: summary.status,
                changed: summary.changed,
                change: 'provision',
                durationMs: Date.now() - started,
                ...(summary.requestId ? { requestId: summary.requestId } : {}),
                ...(summary.failureReason && summary.status !== 'SUCCEEDED'
                    ? { failureReason: summary.failureReason }
                    : {}),
                detail: {
                    ...detail,
                    reprovisioned: summary.reprovisioned,
                    failed: summary.failed,
                    ...(summary.inProgress.length ? { inProgress: summary.inProgress.map((o) => o.account) } : {}),
                },
            };
        }
        catch (error) {
            return {
                ...base,
                status: 'FAILED',
                changed: false,
                change: 'provision',
                failureReason: (0,errors/* describeError */.Uc)(error),
                durationMs: Date.now() - started,
            };
        }
    }
    /** One ALL_PROVISIONED_ACCOUNTS request, or one per account, `max-concurrency` at a time. */
    async requests(permissionSetArn, choice) {
        if (choice.mode === 'all-provisioned-accounts')
            return [await this.request(permissionSetArn, undefined)];
        return (0,limits/* mapWithConcurrency */.WS)(choice.accounts, this.config.maxConcurrency, (account) => this.request(permissionSetArn, account));
    }
    /** After an ALL_PROVISIONED_ACCOUNTS request ended: the accounts still outdated. */
    async stillOutdated(permissionSetArn, outcomes) {
        const whole = outcomes.find((o) => o.account === ALL_PROVISIONED_ACCOUNTS);
        if (!whole || whole.status === 'IN_PROGRESS')
            return undefined;
        return new Set(await this.accounts(permissionSetArn, 'LATEST_PERMISSION_SET_NOT_PROVISIONED'));
    }
    /** One ProvisionPermissionSet followed to a terminal status, holding one of the 3 concurrent slots. */
    async request(permissionSetArn, account) {
        const label = account ?? ALL_PROVISIONED_ACCOUNTS;
        let release;
        try {
            release = await this.slots.acquire('ProvisionPermissionSet', { deadline: this.deadline });
        }
        catch (error) {
            return { account: label, status: 'IN_PROGRESS', failureReason: (0,errors/* describeError */.Uc)(error) };
        }
        try {
            const { PermissionSetProvisioningStatus: first } = await this.session.send('ProvisionPermissionSet', new dist_cjs/* ProvisionPermissionSetCommand */.sIH({
                InstanceArn: this.session.instance,
                PermissionSetArn: permissionSetArn,
                TargetType: account ? 'AWS_ACCOUNT' : ALL_PROVISIONED_ACCOUNTS,
                ...(account ? { TargetId: account } : {}),
            }));
            const requestId = first?.RequestId ?? '';
            if (first?.Status !== 'IN_PROGRESS' || !this.config.wait)
                return outcomeOf(label, requestId, first);
            return await this.follow(label, requestId);
        }
        catch (error) {
            return { account: label, status: 'FAILED', failureReason: (0,errors/* describeError */.Uc)(error) };
        }
        finally {
            release();
        }
    }
    /** Reads the request's status until it ends or the deadline passes. */
    async follow(label, requestId) {
        const snapshot = await this.follower.follow({
            requestId,
            pacing: PROVISION_PACING,
            poll: async () => {
                const { PermissionSetProvisioningStatus: status } = await this.session.send('DescribePermissionSetProvisioningStatus', new dist_cjs/* DescribePermissionSetProvisioningStatusCommand */.NFB({
                    InstanceArn: this.session.instance,
                    ProvisionPermissionSetRequestId: requestId,
                }));
                const o = outcomeOf(label, requestId, status);
                return { status: o.status, ...(o.failureReason ? { failureReason: o.failureReason } : {}) };
            },
        });
        return {
            account: label,
            requestId,
            status: snapshot.status,
            ...(snapshot.failureReason ? { failureReason: snapshot.failureReason } : {}),
        };
    }
}
/** What every provision result for `permissionSet` starts with. */
function baseResult(permissionSet, target) {
    return {
        cloud: 'aws',
        operation: 'provision',
        principal: '',
        target,
        role: permissionSet.name,
        alreadyExisted: false,
        before: 'unknown',
        after: 'unknown',
        resolved: { principalId: '', targetId: target, roleId: permissionSet.arn },
    };
}

// EXTERNAL MODULE: ./src/engine/calls.ts
var calls = __webpack_require__(935);
// EXTERNAL MODULE: ./src/engine/driver.ts
var driver = __webpack_require__(6118);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/credential-provider-web-identity/dist-cjs/index.js
var credential_provider_web_identity_dist_cjs = __webpack_require__(9956);
// EXTERNAL MODULE: ./src/core/token-claims.ts
var token_claims = __webpack_require__(8942);
// EXTERNAL MODULE: ./src/github/workflow-commands.ts
var workflow_commands = __webpack_require__(5513);
;// CONCATENATED MODULE: ./src/aws/credentials.ts
// AWS credentials: the GitHub OIDC token exchanged with STS AssumeRoleWithWebIdentity, or the
// ambient default chain (e.g. after configure-aws-credentials) when no role is given.




/** Credentials are exchanged again this long before they expire (a long wait outlives them). */
const REFRESH_BEFORE_EXPIRY_MS = 60_000;
/** STS errors that mean the role's trust policy does not accept this token. */
const TRUST_ERRORS = new Set([
    'InvalidIdentityTokenException',
    'InvalidIdentityToken',
    'AccessDenied',
    'AccessDeniedException',
    'IDPRejectedClaimException',
    'IDPRejectedClaim',
]);
/**
 * A credential provider that requests a fresh OIDC token for every exchange, so the SDK can
 * refresh credentials that expire during a long wait. Returns undefined for the default chain.
 */
function awsCredentialProvider(config, requestToken, clientConfig) {
    const roleArn = config.roleToAssume;
    if (!roleArn)
        return undefined;
    // Both SDK clients share these credentials: one exchange serves them until shortly before expiry.
    let current;
    const fresh = (c) => !c.expiration || c.expiration.getTime() - Date.now() > REFRESH_BEFORE_EXPIRY_MS;
    return async () => {
        if (current) {
            const cached = await current.catch(() => undefined);
            if (cached && fresh(cached))
                return cached;
        }
        current = assumeRole();
        return current;
    };
    async function assumeRole() {
        const token = await requestToken(config.audience);
        try {
            const credentials = await (0,credential_provider_web_identity_dist_cjs.fromWebToken)({
                roleArn: roleArn,
                webIdentityToken: token,
                roleSessionName: config.roleSessionName,
                clientConfig: { region: config.region, ...clientConfig },
            })();
            // Masked before anything could echo them (debug logs included).
            (0,workflow_commands/* setSecret */.Pq)(credentials.accessKeyId);
            (0,workflow_commands/* setSecret */.Pq)(credentials.secretAccessKey);
            if (credentials.sessionToken)
                (0,workflow_commands/* setSecret */.Pq)(credentials.sessionToken);
            return credentials;
        }
        catch (error) {
            const name = error.Code ?? error.name;
            if (TRUST_ERRORS.has(name) || TRUST_ERRORS.has(error.name)) {
                throw new errors/* CloudAccessError */.Ye(`could not assume role ${roleArn} with the GitHub OIDC token (${error.name}: ${error.message}); the token has ${(0,token_claims/* describeClaims */.Z)((0,token_claims/* decodeClaims */.Y)(token))}`, {
                    input: 'role-to-assume',
                    fix: `make the role's trust policy allow sts:AssumeRoleWithWebIdentity for federated principal token.actions.githubusercontent.com with "token.actions.githubusercontent.com:aud": "${config.audience}" and a "token.actions.githubusercontent.com:sub" condition matching that sub`,
                    cause: error,
                });
            }
            throw error;
        }
    }
}

;// CONCATENATED MODULE: ./src/aws/clients.ts
// The SDK clients, configured once: the SDK's own retries off (the engine retries inside the
// deadline), and a timeout on every request so a hung connection cannot outlive the step. The
// Identity Store client, needed only for principals given by name, is created (and its SDK loaded,
// with import()) on first use.





const CONNECTION_TIMEOUT_MS = 5_000;
function createAwsClients(config, requestToken, transport = {}) {
    const requestHandler = {
        requestTimeout: calls/* ATTEMPT_TIMEOUT_MS */.FR,
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        // The SDK ignores HTTPS_PROXY / HTTP_PROXY / NO_PROXY; Node 24's agents honour them when
        // given the environment, which self-hosted runners behind a proxy need.
        httpAgent: new external_node_http_.Agent({ keepAlive: true, proxyEnv: process.env }),
        httpsAgent: new external_node_https_.Agent({ keepAlive: true, proxyEnv: process.env }),
    };
    const common = {
        region: config.region,
        maxAttempts: 1,
        requestHandler: transport.requestHandler ?? requestHandler,
    };
    // One provider shared by both clients: the SDK memoises it and refreshes near expiry.
    const credentials = transport.credentials ?? awsCredentialProvider(config, requestToken, { maxAttempts: 3, requestHandler });
    const withCredentials = credentials ? { ...common, credentials } : common;
    let identityStore;
    return {
        ssoAdmin: new dist_cjs/* SSOAdminClient */.cJe(withCredentials),
        identityStore: () => (identityStore ??= __webpack_require__.e(/* import() */ 534).then(__webpack_require__.t.bind(__webpack_require__, 2534, 19)).then(({ IdentitystoreClient }) => new IdentitystoreClient(withCredentials))),
    };
}

// EXTERNAL MODULE: ./src/core/lists.ts
var lists = __webpack_require__(402);
// EXTERNAL MODULE: ./src/core/patterns.ts
var patterns = __webpack_require__(8132);
;// CONCATENATED MODULE: ./src/aws/names.ts
// The lookups behind names in the inputs: a user name or group display name in the identity
// store, a permission set name in the instance. SsoSession caches them once per step. The Identity
// Store SDK is loaded (import()) by the first name lookup: principals given by ID never need it.





/**
 * A user's ID by user name (GetUserId, `userName`) or a group's by display name (GetGroupId,
 * `displayName`). The identity store answers ResourceNotFoundException for a name it does not hold.
 */
async function lookUpPrincipalId(session, storeId, principalType, name) {
    const isUser = principalType === 'USER';
    const by = (attribute) => ({
        IdentityStoreId: storeId,
        AlternateIdentifier: { UniqueAttribute: { AttributePath: attribute, AttributeValue: name } },
    });
    const { GetGroupIdCommand, GetUserIdCommand } = await __webpack_require__.e(/* import() */ 534).then(__webpack_require__.t.bind(__webpack_require__, 2534, 19));
    try {
        const id = isUser
            ? (await session.sendIdentityStore('GetUserId', new GetUserIdCommand(by('userName')))).UserId
            : (await session.sendIdentityStore('GetGroupId', new GetGroupIdCommand(by('displayName')))).GroupId;
        return checkedPrincipalId(id, name);
    }
    catch (error) {
        if (isAwsError(error, 'ResourceNotFoundException')) {
            throw new errors/* CloudAccessError */.Ye(`${isUser ? 'user name' : 'group display name'} \`${name}\` was not found in identity store ${storeId}`, {
                input: 'principal',
                fix: isUser
                    ? 'check the user name, pass the user ID, or set `principal-type: GROUP` if it is a group'
                    : 'check the display name, pass the group ID, or set `principal-type: USER` if it is a user',
            });
        }
        throw error;
    }
}
/** An ID the Identity Store returned, held to the pattern an input ID is: what it names is what is granted. */
function checkedPrincipalId(id, name) {
    if (id === undefined || !patterns/* IDENTITY_STORE_PRINCIPAL_ID */.op.test(id))
        throw new errors/* CloudAccessError */.Ye(`the identity store answered \`${name}\` with an ID that is not an Identity Store ID`);
    return id;
}
/** Every permission set of the instance by name: ListPermissionSets, then one DescribePermissionSet each. */
async function listPermissionSetsByName(session) {
    const instance = session.instance;
    const arns = await session.paginate('ListPermissionSets', (nextToken) => new dist_cjs/* ListPermissionSetsCommand */.wf0({ InstanceArn: instance, NextToken: nextToken }), (page) => page.PermissionSets);
    const described = await Promise.all(arns.map((arn) => session.send('DescribePermissionSet', new dist_cjs/* DescribePermissionSetCommand */.kkR({ InstanceArn: instance, PermissionSetArn: arn }))));
    // Only ARNs of the pattern an input ARN is held to can be granted by name.
    return new Map(described
        .map((d, i) => [d.PermissionSet?.Name ?? arns[i], arns[i]])
        .filter(([, arn]) => patterns/* PERMISSION_SET_ARN */.Ht.test(arn)));
}
/** A permission set name the instance does not have, with the closest ones it does. */
function permissionSetNotFound(role, names, instance) {
    const close = (0,lists/* closestNames */.g9)(role, names);
    return new errors/* CloudAccessError */.Ye(`permission set \`${role}\` was not found in ${instance}`, {
        input: 'role',
        fix: close.length > 0
            ? `did you mean ${close.map((n) => `\`${n}\``).join(', ')}? Names are case-sensitive; or pass the permission set ARN`
            : 'the instance has no permission sets; create one first',
    });
}

;// CONCATENATED MODULE: ./src/aws/sso.ts









/**
 * "IAM Identity Center APIs have a collective throttle limit of 20 transactions per second"
 * (User Guide, quotas). Calls leave at 17 a second with a burst of two: a one-second window
 * holds at most 2 + 17 = 19 departures, which leaves room for one delayed by a busy event loop or
 * network to arrive bunched with the next ones. The burst lets a status read that frees a create
 * slot and the create that takes it leave together, rather than a token apart, in every cycle
 * of a batch.
 */
const SSO_ADMIN_CALLS_PER_SECOND = 17;
const SSO_ADMIN_CALL_BURST = 2;
/**
 * Which call goes first when several wait for the rate limit: status reads and writes, first come
 * first served (a status read that sees a create finish frees a slot, and the create that takes
 * the slot goes before the next read: were reads first, the creates of a batch would bunch into
 * waves that then need twice the rate), then the reads that prepare later writes (they are made
 * ahead, in the time writes leave free).
 */
function callPriority(operation) {
    return /^(Describe|List)\w*Status$|^(Create|Delete|Provision)/.test(operation) ? 0 : 1;
}
class SsoSession {
    config;
    stats;
    clients;
    call;
    /** Names resolved once per step, however many grants use them. */
    reads = new shared_reads/* SharedReads */.z();
    instanceArn;
    identityStoreId;
    constructor(config, parts, 
    /** Post step: the instance the main step worked in. */
    saved) {
        this.config = config;
        this.clients = parts.clients;
        this.call = parts.call;
        this.stats = parts.stats;
        this.instanceArn = saved?.instanceArn ?? config.instanceArn;
        this.identityStoreId = config.identityStoreId;
    }
    get instance() {
        if (!this.instanceArn)
            throw new Error('prepare() must run first');
        return this.instanceArn;
    }
    /** Discovers the instance and identity store with ListInstances when they were not given. */
    async prepare() {
        const needsStore = !this.identityStoreId && this.config.grants.some((g) => !g.resolved && g.principal.kind === 'name');
        if (this.instanceArn && !needsStore)
            return;
        const instances = await this.paginate('ListInstances', (nextToken) => new dist_cjs/* ListInstancesCommand */._SW({ NextToken: nextToken }), (page) => page.Instances);
        const chosen = chooseInstance(instances, this.instanceArn, this.config.region);
        this.instanceArn = chosen.InstanceArn;
        this.identityStoreId ??= chosen.IdentityStoreId;
    }
    /**
     * One SSO Admin call through the call runner. A retry sends the same command again: the SDK
     * builds, signs and sends a fresh request from it every time.
     */
    send(operation, command) {
        return this.call(operation, (signal) => this.clients.ssoAdmin.send(command, { abortSignal: signal }));
    }
    /** One Identity Store call through the same call runner (and the same pacing). */
    sendIdentityStore(operation, command) {
        return this.call(operation, async (signal) => (await this.clients.identityStore()).send(command, { abortSignal: signal }));
    }
    /** Every item of a paginated SSO Admin list: pages are read one after another until no NextToken. */
    async paginate(operation, makeCommand, pick) {
        const all = [];
        let nextToken;
        do {
            const page = await this.send(operation, makeCommand(nextToken));
            all.push(...(pick(page) ?? []));
            nextToken = page.NextToken;
        } while (nextToken);
        return all;
    }
    /** A principal's Identity Store ID: given, or looked up by user name or group display name. */
    principalId(ref) {
        if (ref.kind === 'id')
            return Promise.resolve(ref.id);
        const type = this.config.principalType;
        return this.reads.get(`principal:${type}:${ref.name}`, () => lookUpPrincipalId(this, this.identityStoreId, type, ref.name));
    }
    /** A permission set's ARN: given, or found by name among the instance's permission sets. */
    async permissionSetArn(ref) {
        if (ref.kind === 'arn')
            return ref.arn;
        const byName = await this.permissionSetsByName();
        const arn = byName.get(ref.name);
        if (!arn)
            throw permissionSetNotFound(ref.name, [...byName.keys()], this.instance);
        return arn;
    }
    /** Every permission set of the instance by name: one list, one describe each, once per step. */
    permissionSetsByName() {
        return this.reads.get('permission-sets', () => listPermissionSetsByName(this));
    }
}
/** The instance asked for, or the only one visible; otherwise an error that lists what is visible. */
function chooseInstance(instances, instanceArn, region) {
    const chosen = instanceArn
        ? instances.find((i) => i.InstanceArn === instanceArn)
        : instances.length === 1
            ? instances[0]
            : undefined;
    if (chosen)
        return chosen;
    const describe = (i) => `${i.InstanceArn} (identity store ${i.IdentityStoreId}${i.Name ? `, ${i.Name}` : ''})`;
    if (instanceArn) {
        throw new errors/* CloudAccessError */.Ye(`instance ${instanceArn} is not among the IAM Identity Center instances visible in ${region}`, {
            input: 'instance-arn',
            fix: `check \`aws-region\`, or pass \`identity-store-id\`; visible: ${instances.map(describe).join('; ') || 'none'}`,
        });
    }
    throw new errors/* CloudAccessError */.Ye(instances.length === 0
        ? `no IAM Identity Center instance is visible in ${region}`
        : `${instances.length} IAM Identity Center instances are visible in ${region}: ${instances.map(describe).join('; ')}`, {
        input: 'instance-arn',
        fix: instances.length === 0
            ? "check `aws-region` (the instance's home Region) and that the role may call sso:ListInstances"
            : 'pass `instance-arn` (and `identity-store-id`) to choose one',
    });
}
/** The session a step works through, signed in with `deps.requestToken` (or the default chain). */
function createSsoSession(config, deps, seams = {}) {
    const stats = (0,driver/* emptyStats */.b)();
    const call = (0,calls/* createCallRunner */.vi)({
        classify: classifyAwsError,
        deadline: deps.deadline,
        stats,
        limiter: seams.limiter ?? new limits/* RateLimiter */.v$(SSO_ADMIN_CALLS_PER_SECOND, SSO_ADMIN_CALL_BURST),
        priorityOf: callPriority,
        signal: deps.signal,
        ...(deps.debug ? { debug: deps.debug } : {}),
    });
    const clients = createAwsClients(config, deps.requestToken, seams);
    return new SsoSession(config, { clients, call, stats }, deps.saved);
}

;// CONCATENATED MODULE: ./src/aws/index.ts



function driverOver(config, session, deps) {
    return new AwsAssignmentDriver(config, session, { deadline: deps.deadline, signal: deps.signal });
}
function createAwsDriver(config, deps, seams) {
    return driverOver(config, createSsoSession(config, deps, seams), deps);
}
/** `operation: provision`: the session (to prepare, and for its call counts) and the provisioner over it. */
function createAwsProvisioner(config, request, deps, seams) {
    const session = createSsoSession(config, deps, seams);
    return { session, provisioner: new PermissionSetProvisioner(config, request, session, deps.deadline) };
}


/***/ }),

/***/ 6118:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ emptyStats)
/* harmony export */ });
function emptyStats() {
    return { calls: {}, throttled: 0, retries: 0 };
}


/***/ }),

/***/ 5461:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   z: () => (/* binding */ SharedReads)
/* harmony export */ });
/**
 * Reads that serve several grants are made once: one ListAccountAssignments per account and
 * permission set, one role-name lookup per name and scope. A failed read is forgotten so a later
 * grant may try again.
 */
class SharedReads {
    entries = new Map();
    get(key, load) {
        let entry = this.entries.get(key);
        if (!entry) {
            entry = load();
            this.entries.set(key, entry);
            entry.catch(() => this.entries.delete(key));
        }
        return entry;
    }
}


/***/ })

};
