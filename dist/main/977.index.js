export const id = 977;
export const ids = [977];
export const modules = {

/***/ 3977:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  PermissionSetProvisioner: () => (/* reexport */ PermissionSetProvisioner),
  createAwsDriver: () => (/* binding */ createAwsDriver)
});

// UNUSED EXPORTS: SSO_ADMIN_CALLS_PER_SECOND

// EXTERNAL MODULE: ./src/engine/calls.ts
var calls = __webpack_require__(935);
// EXTERNAL MODULE: ./src/engine/driver.ts
var driver = __webpack_require__(6118);
// EXTERNAL MODULE: ./src/engine/limits.ts
var limits = __webpack_require__(7100);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sso-admin/dist-cjs/index.js
var dist_cjs = __webpack_require__(1488);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-identitystore/dist-cjs/index.js
var client_identitystore_dist_cjs = __webpack_require__(2534);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/lists.ts
var lists = __webpack_require__(402);
// EXTERNAL MODULE: ./src/core/patterns.ts
var patterns = __webpack_require__(8132);
// EXTERNAL MODULE: ./src/engine/shared-reads.ts
var shared_reads = __webpack_require__(5461);
;// CONCATENATED MODULE: ./src/aws/assignments.ts
// IAM Identity Center account assignments behind the engine's GrantDriver interface.







/** "The CreateAccountAssignment write API has a limit of 15 outstanding asynchronous calls" (User Guide, quotas). */
const MAX_OUTSTANDING_CREATES = 15;
/** Deleting what is already gone may be accepted and then fail with this (terraform-provider-aws). */
const ENTITLEMENT_MISSING = /EntitlementItem doesn't exist/i;
class AwsAssignmentDriver {
    plan;
    clients;
    call;
    stats;
    bound;
    cloud = 'aws';
    reads = new shared_reads/* SharedReads */.z();
    outstandingCreates = new limits/* Semaphore */.jf(MAX_OUTSTANDING_CREATES, `one of the ${MAX_OUTSTANDING_CREATES} outstanding CreateAccountAssignment requests to finish`);
    instanceArn;
    identityStoreId;
    constructor(plan, clients, call, stats, 
    /** The step's deadline and cancellation: waits for a create slot end with them. */
    bound) {
        this.plan = plan;
        this.clients = clients;
        this.call = call;
        this.stats = stats;
        this.bound = bound;
        this.instanceArn = plan.instanceArn;
        this.identityStoreId = plan.identityStoreId;
    }
    get instance() {
        if (!this.instanceArn)
            throw new Error('prepare() must run first');
        return this.instanceArn;
    }
    /** Discovers the instance and identity store with ListInstances when they were not given. */
    async prepare() {
        const needsStore = !this.identityStoreId &&
            this.plan.grants.some((g) => g.principal && !patterns/* IDENTITY_STORE_PRINCIPAL_ID */.op.test(g.principal));
        if (this.instanceArn && !needsStore)
            return;
        const instances = [];
        let nextToken;
        do {
            const page = await this.call('ListInstances', (signal) => this.clients.ssoAdmin.send(new dist_cjs/* ListInstancesCommand */._SW({ NextToken: nextToken }), {
                abortSignal: signal,
            }));
            instances.push(...(page.Instances ?? []));
            nextToken = page.NextToken;
        } while (nextToken);
        const describe = (i) => `${i.InstanceArn} (identity store ${i.IdentityStoreId}${i.Name ? `, ${i.Name}` : ''})`;
        const chosen = this.instanceArn
            ? instances.find((i) => i.InstanceArn === this.instanceArn)
            : instances.length === 1
                ? instances[0]
                : undefined;
        if (!chosen) {
            if (this.instanceArn) {
                throw new errors/* CloudAccessError */.Ye(`instance ${this.instanceArn} is not among the IAM Identity Center instances visible in ${this.plan.region}`, {
                    input: 'instance-arn',
                    fix: `check \`aws-region\`, or pass \`identity-store-id\`; visible: ${instances.map(describe).join('; ') || 'none'}`,
                });
            }
            throw new errors/* CloudAccessError */.Ye(instances.length === 0
                ? `no IAM Identity Center instance is visible in ${this.plan.region}`
                : `${instances.length} IAM Identity Center instances are visible in ${this.plan.region}: ${instances.map(describe).join('; ')}`, {
                input: 'instance-arn',
                fix: instances.length === 0
                    ? "check `aws-region` (the instance's home Region) and that the role may call sso:ListInstances"
                    : 'pass `instance-arn` (and `identity-store-id`) to choose one',
            });
        }
        this.instanceArn = chosen.InstanceArn;
        this.identityStoreId ??= chosen.IdentityStoreId;
    }
    async resolve(grant) {
        const [principalId, roleId] = await Promise.all([
            this.principalId(grant.principal),
            this.permissionSetArn(grant.role),
        ]);
        return { principalId, targetId: grant.target, roleId };
    }
    principalId(principal) {
        if (patterns/* IDENTITY_STORE_PRINCIPAL_ID */.op.test(principal))
            return Promise.resolve(principal);
        const isUser = this.plan.principalType === 'USER';
        return this.reads.get(`principal:${this.plan.principalType}:${principal}`, async () => {
            const storeId = this.identityStoreId;
            try {
                if (isUser) {
                    const found = await this.call('GetUserId', (signal) => this.clients.identityStore.send(new client_identitystore_dist_cjs/* GetUserIdCommand */.YO({
                        IdentityStoreId: storeId,
                        AlternateIdentifier: {
                            UniqueAttribute: { AttributePath: 'userName', AttributeValue: principal },
                        },
                    }), { abortSignal: signal }));
                    return checkedPrincipalId(found.UserId, principal);
                }
                const found = await this.call('GetGroupId', (signal) => this.clients.identityStore.send(new client_identitystore_dist_cjs/* GetGroupIdCommand */.GG({
                    IdentityStoreId: storeId,
                    AlternateIdentifier: {
                        UniqueAttribute: { AttributePath: 'displayName', AttributeValue: principal },
                    },
                }), { abortSignal: signal }));
                return checkedPrincipalId(found.GroupId, principal);
            }
            catch (error) {
                if (error instanceof errors/* CloudAccessError */.Ye && /not found/i.test(error.message)) {
                    throw new errors/* CloudAccessError */.Ye(`${isUser ? 'user name' : 'group display name'} \`${principal}\` was not found in identity store ${storeId}`, {
                        input: 'principal',
                        fix: isUser
                            ? 'check the user name, pass the user ID, or set `principal-type: GROUP` if it is a group'
                            : 'check the display name, pass the group ID, or set `principal-type: USER` if it is a user',
                    });
                }
                throw error;
            }
        });
    }
    async permissionSetArn(role) {
        if (patterns/* PERMISSION_SET_ARN */.Ht.test(role))
            return role;
        const byName = await this.permissionSetsByName();
        const arn = byName.get(role);
        if (!arn) {
            const close = (0,lists/* closestNames */.g9)(role, [...byName.keys()]);
            throw new errors/* CloudAccessError */.Ye(`permission set \`${role}\` was not found in ${this.instance}`, {
                input: 'role',
                fix: close.length > 0
                    ? `did you mean ${close.map((n) => `\`${n}\``).join(', ')}? Names are case-sensitive; or pass the permission set ARN`
                    : 'the instance has no permission sets; create one first',
            });
        }
        return arn;
    }
    /** Every permission set of the instance by name: one list, one describe each, once per step. */
    permissionSetsByName() {
        return this.reads.get('permission-sets', async () => {
            const arns = [];
            let nextToken;
            do {
                const page = await this.call('ListPermissionSets', (signal) => this.clients.ssoAdmin.send(new dist_cjs/* ListPermissionSetsCommand */.wf0({ InstanceArn: this.instance, NextToken: nextToken }), { abortSignal: signal }));
                arns.push(...(page.PermissionSets ?? []));
                nextToken = page.NextToken;
            } while (nextToken);
            const described = await Promise.all(arns.map((arn) => this.call('DescribePermissionSet', (signal) => this.clients.ssoAdmin.send(new dist_cjs/* DescribePermissionSetCommand */.kkR({ InstanceArn: this.instance, PermissionSetArn: arn }), { abortSignal: signal }))));
            // Only ARNs of the pattern an input ARN is held to can be granted by name.
            return new Map(described
                .map((d, i) => [d.PermissionSet?.Name ?? arns[i], arns[i]])
                .filter(([, arn]) => patterns/* PERMISSION_SET_ARN */.Ht.test(arn)));
        });
    }
    /** One ListAccountAssignments per account and permission set, shared by every grant that needs it. */
    async findExisting(ids) {
        const assignments = await this.reads.get(`assignments:${ids.targetId}:${ids.roleId}`, async () => {
            const all = [];
            let nextToken;
            do {
                const page = await this.call('ListAccountAssignments', (signal) => this.clients.ssoAdmin.send(new dist_cjs/* ListAccountAssignmentsCommand */.hjp({
                    InstanceArn: this.instance,
                    AccountId: ids.targetId,
                    PermissionSetArn: ids.roleId,
                    NextToken: nextToken,
                }), { abortSignal: signal }));
                all.push(...(page.AccountAssignments ?? []));
                nextToken = page.NextToken;
            } while (nextToken);
            return all;
        });
        const found = assignments.find((a) => a.PrincipalId === ids.principalId && a.PrincipalType === this.plan.principalType);
        return found ? {} : undefined;
    }
    async create(ids) {
        const release = await this.outstandingCreates.acquire('CreateAccountAssignment', this.bound);
        try {
            const { AccountAssignmentCreationStatus: status } = await this.call('CreateAccountAssignment', (signal) => this.clients.ssoAdmin.send(new dist_cjs/* CreateAccountAssignmentCommand */.w0d({ InstanceArn: this.instance, ...this.assignmentFields(ids) }), { abortSignal: signal }));
            return this.outcome(status, 'create', release, (requestId) => this.call('DescribeAccountAssignmentCreationStatus', (signal) => this.clients.ssoAdmin.send(new dist_cjs/* DescribeAccountAssignmentCreationStatusCommand */.eTH({
                InstanceArn: this.instance,
                AccountAssignmentCreationRequestId: requestId,
            }), { abortSignal: signal })).then((r) => r.AccountAssignmentCreationStatus));
        }
        catch (error) {
            release();
            throw error;
        }
    }
    async remove(ids) {
        try {
            const { AccountAssignmentDeletionStatus: status } = await this.call('DeleteAccountAssignment', (signal) => this.clients.ssoAdmin.send(new dist_cjs/* DeleteAccountAssignmentCommand */.bpr({ InstanceArn: this.instance, ...this.assignmentFields(ids) }), { abortSignal: signal }));
            return this.outcome(status, 'delete', () => { }, (requestId) => this.call('DescribeAccountAssignmentDeletionStatus', (signal) => this.clients.ssoAdmin.send(new dist_cjs/* DescribeAccountAssignmentDeletionStatusCommand */.PSg({
                InstanceArn: this.instance,
                AccountAssignmentDeletionRequestId: requestId,
            }), { abortSignal: signal })).then((r) => r.AccountAssignmentDeletionStatus));
        }
        catch (error) {
            // Already gone: terraform-provider-aws treats ResourceNotFoundException on delete as done.
            if (error instanceof errors/* CloudAccessError */.Ye && /^DeleteAccountAssignment: not found/.test(error.message)) {
                return { kind: 'done', changed: false, alreadyExisted: true };
            }
            throw error;
        }
    }
    async followCreate(requestId) {
        const { AccountAssignmentCreationStatus: status } = await this.call('DescribeAccountAssignmentCreationStatus', (signal) => this.clients.ssoAdmin.send(new dist_cjs/* DescribeAccountAssignmentCreationStatusCommand */.eTH({
            InstanceArn: this.instance,
            AccountAssignmentCreationRequestId: requestId,
        }), { abortSignal: signal }));
        return snapshotOf(status, 'create');
    }
    /**
     * A create request for exactly this account, permission set and principal made since `since`:
     * ListAccountAssignmentCreationStatus gives the instance's recent requests (IDs and times, once
     * for every grant), and one Describe each of those since `since` says what it was for.
     */
    async findOwnCreate(ids, since) {
        const recent = await this.reads.get('creation-requests', async () => {
            const all = [];
            let nextToken;
            do {
                const page = await this.call('ListAccountAssignmentCreationStatus', (signal) => this.clients.ssoAdmin.send(new dist_cjs/* ListAccountAssignmentCreationStatusCommand */.noI({
                    InstanceArn: this.instance,
                    NextToken: nextToken,
                }), { abortSignal: signal }));
                all.push(...(page.AccountAssignmentsCreationStatus ?? []));
                nextToken = page.NextToken;
            } while (nextToken);
            return all.filter((r) => r.RequestId && r.CreatedDate && r.CreatedDate.getTime() >= since);
        });
        const fields = this.assignmentFields(ids);
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
            const same = status !== undefined &&
                status.TargetId === fields.TargetId &&
                status.PermissionSetArn === fields.PermissionSetArn &&
                status.PrincipalId === fields.PrincipalId &&
                status.PrincipalType === fields.PrincipalType;
            if (!status || !same)
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
    async describeCreation(requestId) {
        const { AccountAssignmentCreationStatus: status } = await this.call('DescribeAccountAssignmentCreationStatus', (signal) => this.clients.ssoAdmin.send(new dist_cjs/* DescribeAccountAssignmentCreationStatusCommand */.eTH({
            InstanceArn: this.instance,
            AccountAssignmentCreationRequestId: requestId,
        }), { abortSignal: signal }));
        return status;
    }
    assignmentFields(ids) {
        return {
            TargetId: ids.targetId,
            TargetType: 'AWS_ACCOUNT',
            PermissionSetArn: ids.roleId,
            PrincipalType: this.plan.principalType,
            PrincipalId: ids.principalId,
        };
    }
    outcome(status, kind, release, describe) {
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
            request: { requestId, release, poll: async () => snapshotOf(await describe(requestId), kind) },
        };
    }
}
/** An ID the Identity Store returned, held to the pattern an input ID is: what it names is what is granted. */
function checkedPrincipalId(id, name) {
    if (id === undefined || !patterns/* IDENTITY_STORE_PRINCIPAL_ID */.op.test(id))
        throw new errors/* CloudAccessError */.Ye(`the identity store answered \`${name}\` with an ID that is not an Identity Store ID`);
    return id;
}
function snapshotOf(status, kind) {
    const value = status?.Status ?? 'IN_PROGRESS';
    if (kind === 'delete' && value === 'FAILED' && ENTITLEMENT_MISSING.test(status?.FailureReason ?? '')) {
        return { status: 'SUCCEEDED', changed: false };
    }
    if (value === 'FAILED')
        return { status: 'FAILED', failureReason: status?.FailureReason ?? 'FAILED without a FailureReason' };
    return { status: value === 'SUCCEEDED' ? 'SUCCEEDED' : 'IN_PROGRESS' };
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 15 modules
var core = __webpack_require__(4116);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/credential-providers/dist-cjs/index.js
var credential_providers_dist_cjs = __webpack_require__(9719);
// EXTERNAL MODULE: ./src/github/oidc.ts
var oidc = __webpack_require__(9986);
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
function awsCredentialProvider(plan, requestToken, clientConfig) {
    const roleArn = plan.roleToAssume;
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
        const token = await requestToken(plan.audience);
        try {
            const credentials = await (0,credential_providers_dist_cjs/* fromWebToken */.G7)({
                roleArn: roleArn,
                webIdentityToken: token,
                roleSessionName: plan.roleSessionName,
                clientConfig: { region: plan.region, ...clientConfig },
            })();
            // Masked before anything could echo them (debug logs included).
            core/* setSecret */.Pq(credentials.accessKeyId);
            core/* setSecret */.Pq(credentials.secretAccessKey);
            if (credentials.sessionToken)
                core/* setSecret */.Pq(credentials.sessionToken);
            return credentials;
        }
        catch (error) {
            const name = error.Code ?? error.name;
            if (TRUST_ERRORS.has(name) || TRUST_ERRORS.has(error.name)) {
                throw new errors/* CloudAccessError */.Ye(`could not assume role ${roleArn} with the GitHub OIDC token (${error.name}: ${error.message}); the token has ${(0,oidc/* describeClaims */.Zs)((0,oidc/* decodeClaims */.Yq)(token))}`, {
                    input: 'role-to-assume',
                    fix: `make the role's trust policy allow sts:AssumeRoleWithWebIdentity for federated principal token.actions.githubusercontent.com with "token.actions.githubusercontent.com:aud": "${plan.audience}" and a "token.actions.githubusercontent.com:sub" condition matching that sub`,
                    cause: error,
                });
            }
            throw error;
        }
    }
}

;// CONCATENATED MODULE: ./src/aws/clients.ts
// The SDK clients, configured once: the SDK's own retries off (the engine retries inside the
// deadline), and a timeout on every request so a hung connection cannot outlive the step.





const REQUEST_TIMEOUT_MS = 15_000;
const CONNECTION_TIMEOUT_MS = 5_000;
function createAwsClients(plan, requestToken) {
    const common = {
        region: plan.region,
        maxAttempts: 1,
        requestHandler: {
            requestTimeout: REQUEST_TIMEOUT_MS,
            connectionTimeout: CONNECTION_TIMEOUT_MS,
            // The SDK ignores HTTPS_PROXY / HTTP_PROXY / NO_PROXY; Node 24's agents honour them when
            // given the environment, which self-hosted runners behind a proxy need.
            httpAgent: new external_node_http_.Agent({ keepAlive: true, proxyEnv: process.env }),
            httpsAgent: new external_node_https_.Agent({ keepAlive: true, proxyEnv: process.env }),
        },
    };
    // One provider shared by both clients: the SDK memoises it and refreshes near expiry.
    const credentials = awsCredentialProvider(plan, requestToken, {
        maxAttempts: 3,
        requestHandler: common.requestHandler,
    });
    const withCredentials = credentials ? { ...common, credentials } : common;
    return {
        ssoAdmin: new dist_cjs/* SSOAdminClient */.cJe(withCredentials),
        identityStore: new client_identitystore_dist_cjs/* IdentitystoreClient */.bC(withCredentials),
    };
}

;// CONCATENATED MODULE: ./src/aws/errors.ts
// Which AWS errors to retry and how to explain the others. The SDK's own retries are off
// (maxAttempts 1) so that one engine owns backoff and the deadline.

const THROTTLING = new Set([
    'ThrottlingException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'Throttling',
    'ThrottledException',
    'SlowDown',
]);
const NETWORK = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'ECONNABORTED',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
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
    if ((e.code && NETWORK.has(e.code)) ||
        name === 'TimeoutError' ||
        name === 'AbortError' ||
        name === 'RequestTimeout' ||
        /socket hang up|ECONNRESET/.test(e.message ?? '')) {
        return { action: 'retry', kind: 'network' };
    }
    const detail = e.message ? `: ${e.message}` : '';
    const requestId = e.$metadata?.requestId ? ` (request ${e.$metadata.requestId})` : '';
    switch (name) {
        case 'AccessDeniedException':
        case 'AccessDenied':
            return {
                action: 'fail',
                error: new errors/* CloudAccessError */.Ye(`${operation} was denied${detail}${requestId}`, {
                    fix: `allow \`${permissionFor(operation)}\` in the policy of the role the action uses${operation === 'CreateAccountAssignment' ||
                        operation === 'DeleteAccountAssignment' ||
                        operation === 'ProvisionPermissionSet'
                        ? ' (with the iam:* and organizations:* actions listed in the README); assignments to the management account need its own credentials'
                        : ''}`,
                }),
            };
        case 'ValidationException':
            return {
                action: 'fail',
                error: new errors/* CloudAccessError */.Ye(`${operation} rejected the request as invalid${detail}${requestId}`, {
                    fix: 'check `instance-arn`, `role`, `target` and `principal`',
                }),
            };
        case 'ResourceNotFoundException':
            return {
                action: 'fail',
                error: new errors/* CloudAccessError */.Ye(`${operation}: not found${detail}${requestId}`, {
                    fix: 'check that `instance-arn`, `role` and `principal` exist in this instance and Region (`aws-region`)',
                }),
            };
        case 'ServiceQuotaExceededException':
            return {
                action: 'fail',
                error: new errors/* CloudAccessError */.Ye(`${operation}: a service quota is exhausted${detail}${requestId}`, {
                    fix: 'see the IAM Identity Center quotas; some cannot be raised',
                }),
            };
        case 'ExpiredTokenException':
        case 'UnrecognizedClientException':
        case 'InvalidSignatureException':
            return {
                action: 'fail',
                error: new errors/* CloudAccessError */.Ye(`${operation}: AWS did not accept the credentials (${name}${detail})`, {
                    fix: 'pass `role-to-assume`, or run configure-aws-credentials before this step',
                }),
            };
        case 'CredentialsProviderError':
            return {
                action: 'fail',
                error: new errors/* CloudAccessError */.Ye(`no AWS credentials were found${detail}`, {
                    fix: 'pass `role-to-assume` to use the GitHub OIDC token, or run configure-aws-credentials before this step',
                }),
            };
        default:
            return {
                action: 'fail',
                error: new errors/* CloudAccessError */.Ye(`${operation} failed (${name || 'error'}${detail})${requestId}`),
            };
    }
}

// EXTERNAL MODULE: ./src/engine/poll.ts
var poll = __webpack_require__(7273);
;// CONCATENATED MODULE: ./src/aws/provisioning.ts
// Re-provisioning permission sets to the accounts where they are out of date: after a permission
// set's policies change, IAM Identity Center marks every account it is provisioned to as
// LATEST_PERMISSION_SET_NOT_PROVISIONED until ProvisionPermissionSet runs for it.




/** "You can make up to three concurrent calls to ProvisionPermissionSet" (User Guide, quotas). */
const MAX_CONCURRENT_PROVISIONS = 3;
/** "ALL_PROVISIONED_ACCOUNTS … reaches at most 3,500 accounts" (User Guide, quotas). */
const ALL_ACCOUNTS_LIMIT = 3500;
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
class PermissionSetProvisioner {
    plan;
    driver;
    deadline;
    slots = new limits/* Semaphore */.jf(MAX_CONCURRENT_PROVISIONS, `one of the ${MAX_CONCURRENT_PROVISIONS} concurrent ProvisionPermissionSet requests to finish`);
    constructor(plan, driver, deadline) {
        this.plan = plan;
        this.driver = driver;
        this.deadline = deadline;
    }
    /** The permission sets `role` names: ARNs, names, or `*` for all of them. */
    async permissionSets() {
        const byName = await this.driver.permissionSetsByName();
        if (this.plan.grants.some((g) => g.role === '*'))
            return [...byName].map(([name, arn]) => ({ arn, name }));
        const roles = [...new Set(this.plan.grants.map((g) => g.role))];
        const nameOf = new Map([...byName].map(([name, arn]) => [arn, name]));
        return Promise.all(roles.map(async (role) => {
            const arn = await this.driver.permissionSetArn(role);
            return { arn, name: nameOf.get(arn) ?? role };
        }));
    }
    async accounts(permissionSetArn, status) {
        const accounts = [];
        let nextToken;
        do {
            const page = await this.driver.call('ListAccountsForProvisionedPermissionSet', (signal) => this.driver.clients.ssoAdmin.send(new dist_cjs/* ListAccountsForProvisionedPermissionSetCommand */.iu4({
                InstanceArn: this.driver.instance,
                PermissionSetArn: permissionSetArn,
                ...(status ? { ProvisioningStatus: status } : {}),
                NextToken: nextToken,
            }), { abortSignal: signal }));
            accounts.push(...(page.AccountIds ?? []));
            nextToken = page.NextToken;
        } while (nextToken);
        return accounts;
    }
    async provision(permissionSet) {
        const started = Date.now();
        const targets = this.plan.grants.map((g) => g.target);
        const allAsked = targets.includes('ALL_PROVISIONED_ACCOUNTS');
        const base = {
            cloud: 'aws',
            operation: 'provision',
            principal: '',
            target: allAsked ? 'ALL_PROVISIONED_ACCOUNTS' : [...new Set(targets)].join(','),
            role: permissionSet.name,
            alreadyExisted: false,
            before: 'unknown',
            after: 'unknown',
            resolved: {
                principalId: '',
                targetId: allAsked ? 'ALL_PROVISIONED_ACCOUNTS' : targets.join(','),
                roleId: permissionSet.arn,
            },
        };
        try {
            const inScope = (accounts) => allAsked ? accounts : accounts.filter((a) => targets.includes(a));
            const [outdatedAll, currentAll] = await Promise.all([
                this.accounts(permissionSet.arn, 'LATEST_PERMISSION_SET_NOT_PROVISIONED'),
                this.accounts(permissionSet.arn, 'LATEST_PERMISSION_SET_PROVISIONED'),
            ]);
            const outdated = inScope(outdatedAll);
            const current = inScope(currentAll);
            const choice = this.plan.onlyOutdated
                ? chooseProvisionPlan(outdated, outdatedAll.length + currentAll.length, allAsked)
                : allAsked
                    ? { mode: 'all-provisioned-accounts', accounts: [...outdatedAll, ...currentAll] }
                    : { mode: 'per-account', accounts: targets };
            const notProvisioned = this.plan.onlyOutdated
                ? []
                : allAsked
                    ? []
                    : targets.filter((t) => !outdatedAll.includes(t) && !currentAll.includes(t));
            const alreadyCurrent = this.plan.onlyOutdated ? current : [];
            const detail = {
                requestPlan: choice.mode,
                outdated,
                alreadyCurrent,
                ...(notProvisioned.length ? { notProvisionedBefore: notProvisioned } : {}),
            };
            if (choice.mode === 'none' || this.plan.dryRun) {
                return {
                    ...base,
                    status: 'SUCCEEDED',
                    changed: false,
                    plan: choice.mode === 'none' ? 'none' : 'provision',
                    durationMs: Date.now() - started,
                    detail: this.plan.dryRun ? { ...detail, wouldProvision: choice.accounts } : detail,
                };
            }
            const outcomes = choice.mode === 'all-provisioned-accounts'
                ? [await this.request(permissionSet.arn, undefined)]
                : await (0,limits/* mapWithConcurrency */.WS)(choice.accounts, this.plan.maxConcurrency, (account) => this.request(permissionSet.arn, account));
            let failed = outcomes
                .filter((o) => o.status === 'FAILED' && o.account !== 'ALL_PROVISIONED_ACCOUNTS')
                .map((o) => ({ account: o.account, reason: o.failureReason ?? 'FAILED' }));
            let reprovisioned = outcomes
                .filter((o) => o.status === 'SUCCEEDED' && o.account !== 'ALL_PROVISIONED_ACCOUNTS')
                .map((o) => o.account);
            const whole = outcomes.find((o) => o.account === 'ALL_PROVISIONED_ACCOUNTS');
            if (whole && whole.status !== 'IN_PROGRESS') {
                // One request covered every account: the accounts still outdated afterwards are the ones that failed.
                const stillOutdated = new Set(await this.accounts(permissionSet.arn, 'LATEST_PERMISSION_SET_NOT_PROVISIONED'));
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
                    ? `still IN_PROGRESS when the ${this.deadline.seconds}s deadline passed: ${inProgress.map((o) => o.requestId).join(', ')}`
                    : whole?.failureReason;
            const requestId = outcomes.find((o) => o.requestId)?.requestId;
            return {
                ...base,
                status,
                changed: reprovisioned.length > 0 || inProgress.length > 0,
                plan: 'provision',
                durationMs: Date.now() - started,
                ...(requestId ? { requestId } : {}),
                ...(failureReason && status !== 'SUCCEEDED' ? { failureReason } : {}),
                detail: {
                    ...detail,
                    reprovisioned,
                    failed,
                    ...(inProgress.length ? { inProgress: inProgress.map((o) => o.account) } : {}),
                },
            };
        }
        catch (error) {
            return {
                ...base,
                status: 'FAILED',
                changed: false,
                plan: 'provision',
                failureReason: (0,errors/* describeError */.Uc)(error),
                durationMs: Date.now() - started,
            };
        }
    }
    /** One ProvisionPermissionSet followed to a terminal status, holding one of the 3 concurrent slots. */
    async request(permissionSetArn, account) {
        const label = account ?? 'ALL_PROVISIONED_ACCOUNTS';
        let release;
        try {
            release = await this.slots.acquire('ProvisionPermissionSet', { deadline: this.deadline });
        }
        catch (error) {
            return { account: label, status: 'IN_PROGRESS', failureReason: (0,errors/* describeError */.Uc)(error) };
        }
        try {
            const response = await this.driver.call('ProvisionPermissionSet', (signal) => this.driver.clients.ssoAdmin.send(new dist_cjs/* ProvisionPermissionSetCommand */.sIH({
                InstanceArn: this.driver.instance,
                PermissionSetArn: permissionSetArn,
                TargetType: account ? 'AWS_ACCOUNT' : 'ALL_PROVISIONED_ACCOUNTS',
                ...(account ? { TargetId: account } : {}),
            }), { abortSignal: signal }));
            const first = response.PermissionSetProvisioningStatus;
            const requestId = first?.RequestId ?? '';
            const toOutcome = (s) => ({
                account: label,
                requestId,
                status: s?.Status === 'SUCCEEDED' ? 'SUCCEEDED' : s?.Status === 'FAILED' ? 'FAILED' : 'IN_PROGRESS',
                ...(s?.FailureReason ? { failureReason: s.FailureReason } : {}),
            });
            if (first?.Status !== 'IN_PROGRESS' || !this.plan.wait)
                return toOutcome(first);
            const snapshot = await (0,poll/* waitForTerminalStatus */.V)(async () => {
                const { PermissionSetProvisioningStatus: s } = await this.driver.call('DescribePermissionSetProvisioningStatus', (signal) => this.driver.clients.ssoAdmin.send(new dist_cjs/* DescribePermissionSetProvisioningStatusCommand */.NFB({
                    InstanceArn: this.driver.instance,
                    ProvisionPermissionSetRequestId: requestId,
                }), { abortSignal: signal }));
                const o = toOutcome(s);
                return { status: o.status, ...(o.failureReason ? { failureReason: o.failureReason } : {}) };
            }, { deadline: this.deadline });
            return {
                account: label,
                requestId,
                status: snapshot.status,
                ...(snapshot.failureReason ? { failureReason: snapshot.failureReason } : {}),
            };
        }
        catch (error) {
            if (error instanceof errors/* CloudAccessError */.Ye)
                return { account: label, status: 'FAILED', failureReason: error.describe() };
            return { account: label, status: 'FAILED', failureReason: (0,errors/* describeError */.Uc)(error) };
        }
        finally {
            release();
        }
    }
}

;// CONCATENATED MODULE: ./src/aws/index.ts






/**
 * "IAM Identity Center APIs have a collective throttle limit of 20 transactions per second"
 * (User Guide, quotas). Calls leave evenly spaced at 18 a second with no burst: a one-second
 * window holds at most 19 departures, which leaves room for two delayed by a busy event loop or
 * network to arrive bunched with the next ones.
 */
const SSO_ADMIN_CALLS_PER_SECOND = 18;
function createAwsDriver(plan, deps) {
    const stats = (0,driver/* emptyStats */.b)();
    const call = (0,calls/* createCallRunner */.vi)({
        classify: classifyAwsError,
        deadline: deps.deadline,
        stats,
        limiter: new limits/* RateLimiter */.v$(SSO_ADMIN_CALLS_PER_SECOND, 1),
        signal: deps.signal,
        ...(deps.debug ? { debug: deps.debug } : {}),
    });
    return new AwsAssignmentDriver(plan, createAwsClients(plan, deps.requestToken), call, stats, {
        deadline: deps.deadline,
        signal: deps.signal,
    });
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
    forget(key) {
        this.entries.delete(key);
    }
}


/***/ })

};
