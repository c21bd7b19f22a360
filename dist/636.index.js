export const id = 636;
export const ids = [636];
export const modules = {

/***/ 1636:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createAzureDriver: () => (/* binding */ createAzureDriver)
});

// EXTERNAL MODULE: ./node_modules/@azure/logger/dist/esm/index.js + 1 modules
var esm = __webpack_require__(7567);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./src/engine/calls.ts
var calls = __webpack_require__(935);
// EXTERNAL MODULE: ./src/engine/driver.ts
var driver = __webpack_require__(6118);
// EXTERNAL MODULE: ./src/core/azure-scope.ts
var azure_scope = __webpack_require__(2841);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/patterns.ts
var patterns = __webpack_require__(8132);
// EXTERNAL MODULE: ./src/core/token-claims.ts
var token_claims = __webpack_require__(8942);
// EXTERNAL MODULE: ./src/engine/retry.ts + 1 modules
var retry = __webpack_require__(2197);
// EXTERNAL MODULE: ./src/engine/shared-reads.ts
var shared_reads = __webpack_require__(5461);
// EXTERNAL MODULE: ./node_modules/@azure/arm-authorization/dist/index.js
var dist = __webpack_require__(1043);
;// CONCATENATED MODULE: ./src/azure/pacing.ts
// ARM's write and delete token buckets. ARM says how many tokens are left in every write
// response (`x-ms-ratelimit-remaining-subscription-writes` / `-deletes`, and the `-tenant-`
// variants at management group scope), so instead of guessing a rate we read it: while a bucket
// runs low, writes to it are spaced at its refill rate, so a large batch drains it to a trickle
// rather than into 429s. A 429 that comes anyway is retried by the engine with Retry-After.
/** "Subscription writes and deletes: bucket 200, refill 10 per second" (ARM request limits, token bucket model). */
const ARM_WRITE_REFILL_PER_SECOND = 10;
/** Below this many tokens left, writes are paced; above it they go as fast as concurrency allows. */
const LOW_WATERMARK = 10;
/** The bucket a write lands in: one per subscription (or the tenant) and kind. */
function bucketKey(url, method) {
    const kind = writeKindOf(method);
    if (!kind)
        return undefined;
    let path;
    try {
        path = new URL(url).pathname;
    }
    catch {
        return undefined;
    }
    const subscription = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1];
    return `${subscription ? `subscription:${subscription.toLowerCase()}` : 'tenant'}:${kind}`;
}
function writeKindOf(method) {
    const m = method.toUpperCase();
    if (m === 'DELETE')
        return 'deletes';
    if (m === 'PUT' || m === 'POST' || m === 'PATCH')
        return 'writes';
    return undefined;
}
/** The remaining-tokens header for a bucket key: the subscription's, or the tenant's. */
function remainingHeaderFor(key) {
    const kind = key.slice(key.lastIndexOf(':') + 1);
    return `x-ms-ratelimit-remaining-${key.startsWith('subscription:') ? 'subscription' : 'tenant'}-${kind}`;
}
class ArmWritePacer {
    sleep;
    now;
    refillPerSecond;
    lowWatermark;
    buckets = new Map();
    constructor(
    /** Sleeps; resolves false when the step's deadline came first (as Deadline.sleep does). */
    sleep, now = Date.now, refillPerSecond = ARM_WRITE_REFILL_PER_SECOND, lowWatermark = LOW_WATERMARK) {
        this.sleep = sleep;
        this.now = now;
        this.refillPerSecond = refillPerSecond;
        this.lowWatermark = lowWatermark;
    }
    /** Records what ARM reported in a write response. */
    observe(key, remaining) {
        if (!Number.isFinite(remaining))
            return;
        const bucket = this.buckets.get(key);
        const now = this.now();
        if (bucket) {
            bucket.remaining = remaining;
            bucket.at = now;
        }
        else {
            this.buckets.set(key, { remaining, at: now, next: now });
        }
    }
    /**
     * Waits, when the bucket is low, for this write's turn; first come first served. False when the
     * deadline passed while waiting: the write must not be sent.
     */
    async take(key) {
        const bucket = this.buckets.get(key);
        if (!bucket)
            return true;
        const now = this.now();
        const estimate = bucket.remaining + ((now - bucket.at) / 1000) * this.refillPerSecond;
        bucket.remaining = estimate - 1;
        bucket.at = now;
        if (estimate >= this.lowWatermark)
            return true;
        const slot = Math.max(now, bucket.next);
        bucket.next = slot + 1000 / this.refillPerSecond;
        if (slot > now)
            return (await this.sleep(slot - now)) !== false;
        return true;
    }
}

;// CONCATENATED MODULE: ./src/azure/policies.ts


/**
 * Puts a timeout on every request; the SDKs send none by default. A hung connection fails after
 * the engine's per-attempt timeout and is retried by the engine, inside the step's deadline.
 */
function requestTimeoutPolicy(timeoutMs = calls/* ATTEMPT_TIMEOUT_MS */.FR) {
    return {
        name: 'cloudAccessRequestTimeout',
        sendRequest(request, next) {
            if (!request.timeout)
                request.timeout = timeoutMs;
            return next(request);
        },
    };
}
/** Paces writes while ARM's token bucket runs low, and records what each write response says is left. */
function armWritePacingPolicy(pacer) {
    return {
        name: 'cloudAccessArmWritePacing',
        async sendRequest(request, next) {
            const key = bucketKey(request.url, request.method);
            if (!key)
                return next(request);
            // Not sent once the deadline passed during the wait; a 4xx-like refusal, so it counts as not applied.
            if (!(await pacer.take(key)) || request.abortSignal?.aborted)
                throw Object.assign(new Error("the write was not sent: the deadline passed while it waited for ARM's write limit"), {
                    name: 'AbortError',
                    notSent: true,
                });
            const response = await next(request);
            const remaining = response.headers.get(remainingHeaderFor(key));
            if (remaining !== undefined && /^\d+$/.test(remaining.trim()))
                pacer.observe(key, Number(remaining));
            return response;
        },
    };
}

;// CONCATENATED MODULE: ./src/azure/clients.ts
// The ARM client, one per subscription, created on first use: the SDK's own retries off (the
// engine retries inside the deadline), a timeout on every request so a hung connection cannot
// outlive the step, and the write pacer on every write.


/**
 * Management group scopes have no subscription, but the client's constructor requires one; the
 * scope-based operations used here never put it in a URL.
 */
const NO_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
/** `httpClient` replaces the transport (tests); by default the SDK's Node HTTP client is used. */
function createArmClients(config, credential, pacer, httpClient) {
    const clients = new Map();
    return (scope) => {
        const subscriptionId = scope.subscriptionId ?? NO_SUBSCRIPTION;
        let client = clients.get(subscriptionId);
        if (!client) {
            client = new dist/* AuthorizationManagementClient */.IK(credential, subscriptionId, {
                endpoint: config.resourceManagerEndpoint,
                credentialScopes: [config.tokenScope],
                retryOptions: { maxRetries: 0 },
                additionalPolicies: [
                    { policy: armWritePacingPolicy(pacer), position: 'perCall' },
                    { policy: requestTimeoutPolicy(), position: 'perRetry' },
                ],
                userAgentOptions: { userAgentPrefix: 'cloud-access' },
                ...(httpClient ? { httpClient } : {}),
            });
            clients.set(subscriptionId, client);
        }
        return client;
    };
}
/**
 * The SDK's URL templates are `/{scope}/providers/…` and `/{roleAssignmentId}`, with the value not
 * encoded: a value that starts with `/` would make `//subscriptions/…`, so the slash is dropped.
 */
function urlPathArgument(scopeOrId) {
    return scopeOrId.replace(/^\/+/, '');
}
function responseInfo(raw) {
    return { status: raw.status, requestId: raw.headers.get('x-ms-request-id') };
}

;// CONCATENATED MODULE: ./src/azure/arm-errors.ts
// ARM's errors: the error the driver reads (code, status, request ID), and what each final ARM
// error code means for the user: the input at fault and the fix. Judged by HTTP status and
// `error.code`, never by the message, which ARM rewords.

/** A failed ARM call, with what the driver needs to decide (code, status) and what support needs (request ID). */
class ArmError extends errors/* CloudAccessError */.Ye {
    statusCode;
    code;
    requestId;
    constructor(message, details, options = {}) {
        super(message, options);
        this.name = 'ArmError';
        this.statusCode = details.statusCode;
        this.code = details.code;
        this.requestId = details.requestId;
    }
}
/**
 * Replication delay: a principal created moments ago is not visible to ARM yet. A create retries
 * it for PRINCIPAL_REPLICATION_SECONDS (a `replication` verdict) before failing with it.
 */
class PrincipalNotFoundError extends ArmError {
}
/** The RBAC action an operation needs: what an AuthorizationFailed message should name. */
function permissionFor(operation) {
    switch (operation) {
        case 'RoleAssignments_Create':
            return 'Microsoft.Authorization/roleAssignments/write';
        case 'RoleAssignments_Delete':
            return 'Microsoft.Authorization/roleAssignments/delete';
        case 'RoleDefinitions_List':
            return 'Microsoft.Authorization/roleDefinitions/read';
        default:
            return 'Microsoft.Authorization/roleAssignments/read';
    }
}
/** The scope a request was made at, read back from its URL (`/{scope}/providers/Microsoft.Authorization/…`). */
function scopeOfRequest(url) {
    if (!url)
        return undefined;
    let path;
    try {
        path = decodeURIComponent(new URL(url).pathname);
    }
    catch {
        return undefined;
    }
    const at = path.toLowerCase().lastIndexOf('/providers/microsoft.authorization/');
    return at > 0 ? path.slice(0, at) : undefined;
}
const ROLE_FIX = 'pass the role definition GUID, a full role definition ID, or the exact role name (`Reader`)';
const ACCESS_FIX = 'assign the identity the action signs in as a role that allows it at that scope or above: Role Based Access Control Administrator or User Access Administrator (Owner works too), or a custom role with Microsoft.Authorization/roleAssignments/read, write and delete (see the README). If access was granted moments ago, re-run: role assignments take up to 10 minutes to take effect';
/** Final ARM errors by `error.code`: what went wrong, the input at fault, and how to fix it. */
const ARM_EXPLANATIONS = new Map([
    ...forCodes(['AuthorizationFailed', 'LinkedAuthorizationFailed'], {
        message: (f) => `${f.operation} was denied${f.at}: the identity lacks \`${permissionFor(f.operation)}\` (${f.said})`,
        fix: ACCESS_FIX,
    }),
    ...forCodes(['PrincipalNotFound'], {
        message: (f) => `${f.operation}: the principal does not exist in the directory (${f.said})`,
        input: 'principal',
        fix: 'check the object ID. A principal created moments ago may not have replicated yet: keep `principal-type` set to its real type (User, Group, ServicePrincipal) so ARM accepts it before replication ends',
        type: PrincipalNotFoundError,
    }),
    ...forCodes(['InvalidPrincipalId'], {
        message: (f) => `${f.operation}: the principal ID is not valid (${f.said})`,
        input: 'principal',
        fix: 'pass the Entra object ID (not the application/client ID) of the user, group or service principal',
    }),
    ...forCodes(['UnmatchedPrincipalType'], {
        message: (f) => `${f.operation}: \`principal-type\` does not match the principal (${f.said})`,
        input: 'principal-type',
        fix: "set `principal-type` to the principal's real type: User, Group, ServicePrincipal (also for managed identities), ForeignGroup or Device",
    }),
    ...forCodes(['InvalidRoleDefinitionId', 'RoleDefinitionDoesNotExist', 'RoleDefinitionNotFound'], {
        message: (f) => `${f.operation}: the role definition was not found${f.at} (${f.said})`,
        input: 'role',
        fix: `check \`role\`: a custom role must list this scope (or one above it) in its assignable scopes; ${ROLE_FIX}`,
    }),
    ...forCodes(['SubscriptionNotFound', 'InvalidSubscriptionId', 'MissingSubscription', 'SubscriptionNotRegistered'], {
        message: (f) => `${f.operation}: the subscription was not found (${f.said})`,
        input: 'target',
        fix: 'check the subscription ID in `target`, and that it belongs to the tenant the action signs in to (`tenant-id`)',
    }),
    ...forCodes([
        'ResourceGroupNotFound',
        'ResourceNotFound',
        'ParentResourceNotFound',
        'InvalidResourceType',
        'InvalidScope',
        'ManagementGroupNotFound',
    ], {
        message: (f) => `${f.operation}: the scope does not exist${f.at} (${f.said})`,
        input: 'target',
        fix: 'check `target`: the resource group, resource or management group must exist before access to it is granted',
    }),
    ...forCodes([
        'InvalidAuthenticationToken',
        'InvalidAuthenticationTokenAudience',
        'ExpiredAuthenticationToken',
        'AuthenticationFailed',
    ], {
        message: (f) => `${f.operation}: ARM did not accept the Entra token (${f.said})`,
        input: 'client-id',
        fix: 'check `client-id` and `tenant-id`, and that `environment` / `resource-manager-endpoint` name the cloud the subscription is in',
    }),
    ...forCodes(['InvalidAuthenticationTokenTenant'], {
        message: (f) => `${f.operation}: the Entra token is from another tenant than the subscription's (${f.said})`,
        input: 'tenant-id',
        fix: 'set `tenant-id` to the tenant the subscription belongs to',
    }),
    ...forCodes(['RoleAssignmentUpdateNotPermitted'], {
        message: (f) => `${f.operation}: a role assignment with this name already exists${f.at} for another principal, role or scope (${f.said})`,
        input: 'assignment-name',
        fix: 'choose another `assignment-name`, or omit it so the name is derived from scope, principal and role',
    }),
    ...forCodes(['RoleAssignmentLimitExceeded'], {
        message: (f) => `${f.operation}: the scope has reached its role assignment limit (${f.said})`,
        fix: 'remove unused role assignments or assign roles to groups: a subscription holds at most 4000 (2000 in Azure Government and China), a management group 500, and the limit cannot be raised',
    }),
    ...forCodes(['InvalidCondition', 'InvalidConditionVersion', 'ConditionVersionNotSupported'], {
        message: (f) => `${f.operation}: the condition was rejected (${f.said})`,
        input: 'condition',
        fix: 'see https://learn.microsoft.com/azure/role-based-access-control/conditions-format',
    }),
    ...forCodes(['ScopeLocked'], {
        message: (f) => `${f.operation}: the scope is locked${f.at} (${f.said})`,
        input: 'target',
        fix: 'remove the ReadOnly/CanNotDelete lock, or grant at another scope',
    }),
]);
/** Any other ARM error (RoleAssignmentExists, 404s…): its code and status, for the driver to read. */
const UNEXPLAINED_ARM = {
    message: (f) => `${f.operation} failed${f.at} (${f.said})`,
};
function forCodes(codes, explanation) {
    return codes.map((code) => [code, explanation]);
}
function explainArmError(e, status, operation, cause) {
    const code = e.code;
    const requestId = e.response?.headers?.get('x-ms-request-id');
    const scope = scopeOfRequest(e.request?.url);
    const failure = {
        operation,
        at: scope ? ` at scope \`${scope}\`` : '',
        said: `${status}${code ? ` ${code}` : ''}${e.message ? `: ${e.message}` : ''}${requestId ? ` (ARM request ${requestId})` : ''}`,
    };
    const { message, input, fix, type = ArmError } = (code && ARM_EXPLANATIONS.get(code)) || UNEXPLAINED_ARM;
    return new type(message(failure), { statusCode: status, code, requestId }, { fix, input, cause });
}

;// CONCATENATED MODULE: ./src/azure/roles.ts
const ROLE_DEFINITIONS = '/providers/Microsoft.Authorization/roleDefinitions/';
/**
 * The role definition ID to send for a role GUID: under the subscription at subscription scope
 * and below (as the REST examples do), tenant-level at management group scope.
 */
function roleDefinitionIdFor(guid, scope) {
    const id = guid.toLowerCase();
    return scope.subscriptionId
        ? `/subscriptions/${scope.subscriptionId}${ROLE_DEFINITIONS}${id}`
        : `${ROLE_DEFINITIONS}${id}`;
}
/** An OData string literal: single quotes around, a quote inside doubled (OData ABNF, SQUOTE-in-string). */
function odataString(value) {
    return `'${value.replace(/'/g, "''")}'`;
}
/** RoleDefinitions_List `$filter`; the SDK URL-encodes it. */
function roleNameFilter(name) {
    return `roleName eq ${odataString(name)}`;
}
/**
 * RoleAssignments_ListForScope `$filter`. The spec marks it x-ms-skip-url-encoding, so the SDK
 * puts it in the URL as given: it is encoded here.
 */
function principalIdFilter(principalId) {
    return encodeURIComponent(`principalId eq ${odataString(principalId)}`);
}
/** Scopes compare case-insensitively (ARM is case-insensitive and echoes its own casing). */
function sameScope(a, b) {
    if (a === undefined || b === undefined)
        return false;
    const normal = (s) => `/${s.replace(/^\/+|\/+$/g, '')}`.toLowerCase();
    return normal(a) === normal(b);
}

;// CONCATENATED MODULE: ./src/azure/arm-reads.ts







class ArmReads {
    clientFor;
    call;
    debug;
    /** Reads that serve several grants: a role name's lookup, a principal's assignments at a scope. */
    shared = new shared_reads/* SharedReads */.z();
    constructor(clientFor, call, debug) {
        this.clientFor = clientFor;
        this.call = call;
        this.debug = debug;
    }
    /** One assignment by ID or by name at the scope; undefined when ARM answers 404. */
    async getAssignment(scope, which) {
        const client = this.clientFor(scope);
        try {
            return await this.call('RoleAssignments_Get', (signal) => 'id' in which
                ? client.roleAssignments.getById(urlPathArgument(which.id), { abortSignal: signal })
                : client.roleAssignments.get(urlPathArgument(scope.scope), which.name, { abortSignal: signal }));
        }
        catch (error) {
            if (error instanceof ArmError && error.statusCode === 404)
                return undefined;
            throw error;
        }
    }
    /** The principal's assignments at, above and below the scope (`principalId eq` filter), every page. */
    listForPrincipal(scope, principalId) {
        const client = this.clientFor(scope);
        return this.call('RoleAssignments_ListForScope', (signal) => allPages(client.roleAssignments.listForScope(urlPathArgument(scope.scope), {
            abortSignal: signal,
            filter: principalIdFilter(principalId),
        })));
    }
    /** listForPrincipal, made once per scope and principal for all the grants that ask. */
    sharedListForPrincipal(scope, principalId) {
        return this.shared.get(`assignments:${scope.scope.toLowerCase()}:${principalId}`, () => this.listForPrincipal(scope, principalId));
    }
    /** The role definitions named `name` (ignoring case) that can be assigned at the scope. */
    roleDefinitionsNamed(name, scope) {
        const client = this.clientFor(scope);
        return this.call('RoleDefinitions_List', async (signal) => {
            const all = await allPages(client.roleDefinitions.list(urlPathArgument(scope.scope), {
                abortSignal: signal,
                filter: roleNameFilter(name),
            }));
            // The filter is ARM's; keep only exact (case-insensitive) names in case it matches more loosely.
            return all.filter((d) => d.roleName === undefined || d.roleName.toLowerCase() === name.toLowerCase());
        });
    }
    /** The role definition ID to assign for a grant's role: built from a GUID, given, or looked up by name once per scope. */
    async roleDefinitionId(reference, scope) {
        if (reference.kind === 'guid')
            return roleDefinitionIdFor(reference.guid, scope);
        if (reference.kind === 'id')
            return reference.id;
        const found = await this.shared.get(`role:${scope.scope.toLowerCase()}:${reference.name}`, () => this.roleDefinitionsNamed(reference.name, scope));
        const id = onlyRoleDefinitionId(found, reference.name, scope);
        this.debug?.(`role \`${reference.name}\` at ${scope.scope} is ${id}`);
        return id;
    }
}
/** The ID of the one role definition a name lookup found; fails when it found none, several, or an odd ID. */
function onlyRoleDefinitionId(found, name, scope) {
    const [only, ...others] = found;
    if (!only?.id) {
        throw new errors/* CloudAccessError */.Ye(`role \`${name}\` was not found at scope \`${scope.scope}\``, {
            input: 'role',
            fix: 'check the name (as the portal shows it, e.g. `Reader`); a custom role must list this scope or one above it in its assignable scopes; or pass the role definition GUID',
        });
    }
    if (others.length > 0) {
        throw new errors/* CloudAccessError */.Ye(`${found.length} roles are named \`${name}\` at scope \`${scope.scope}\`: ${found.map((d) => d.id).join(', ')}`, {
            input: 'role',
            fix: 'pass the role definition GUID or full ID of the one you mean',
        });
    }
    // The ID goes into the assignment and its name: held to the pattern an input role ID is.
    if (!patterns/* ROLE_DEFINITION_ID */.r3.test(only.id) || (0,azure_scope/* unsafePathReason */.m0)(only.id))
        throw new errors/* CloudAccessError */.Ye(`ARM answered role \`${name}\` with an ID that is not a role definition ID`, {
            input: 'role',
            fix: 'pass the role definition GUID',
        });
    return only.id;
}
/** Same scope (exactly, ignoring case), principal and role definition (by GUID). */
function matches(assignment, ids) {
    return (sameScope(assignment.scope, ids.targetId) &&
        assignment.principalId?.toLowerCase() === ids.principalId.toLowerCase() &&
        assignment.roleDefinitionId !== undefined &&
        (0,azure_scope/* roleGuidOf */.VA)(assignment.roleDefinitionId) === (0,azure_scope/* roleGuidOf */.VA)(ids.roleId));
}
/** Every item of an SDK list, following its next links. */
async function allPages(pages) {
    const all = [];
    for await (const item of pages)
        all.push(item);
    return all;
}

// EXTERNAL MODULE: ./src/engine/network.ts
var network = __webpack_require__(300);
;// CONCATENATED MODULE: ./src/azure/entra-errors.ts
// What Entra's (and MSAL's) errors mean: which to retry, and how to explain the others. The
// engine's classifier for the adapter (errors.ts) hands authentication errors to
// classifyAuthError; the credential (credentials.ts) turns set-up errors into their fix.



/** The issuer of GitHub's OIDC tokens: what a federated credential must name. */
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/** The AADSTS error number in an Entra/MSAL error, e.g. 700213, when there is one. */
function aadstsCode(error) {
    const codes = error?.errorResponse
        ?.errorCodes;
    if (Array.isArray(codes) && typeof codes[0] === 'number')
        return codes[0];
    const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
    const match = /AADSTS(\d+)/.exec(message);
    return match ? Number(match[1]) : undefined;
}
/**
 * Entra's "try again" codes: 50000 (error issuing a token) and 90033 (a transient error). MSAL
 * replays a 5xx answer from its throttling cache for up to 60 s without the `server_error` text,
 * so the code is what still identifies it.
 */
const TRANSIENT_AADSTS = new Set([50000, 90033]);
/** Entra's own "try again later" answers, as MSAL words them. */
const ENTRA_SERVER_ERROR = /\b(server_error|temporarily_unavailable)\b/;
/** Entra answered 429 or 5xx (or MSAL replays such an answer): what MSAL's throttling cache keeps. */
function isEntraServerError(error) {
    const { statusCode, message } = (error ?? {});
    if (typeof statusCode === 'number' && (statusCode === 429 || statusCode >= 500))
        return true;
    return (TRANSIENT_AADSTS.has(aadstsCode(error) ?? 0) ||
        ENTRA_SERVER_ERROR.test(typeof message === 'string' ? message : ''));
}
const AUTH_ERROR_NAMES = new Set([
    'AuthenticationError',
    'AuthenticationRequiredError',
    'AggregateAuthenticationError',
    'ServerError',
    'ClientAuthError',
    'NetworkError',
]);
/** An error from getting the Entra token (@azure/identity or MSAL), by its name. */
function isAuthError(name) {
    return AUTH_ERROR_NAMES.has(name) || name === 'CredentialUnavailableError';
}
/** The engine's verdict on an error from getting the Entra token (one `isAuthError` names). */
function classifyAuthError(error, operation) {
    const e = (error ?? {});
    const message = e.message ?? '';
    // No credential at all is final, whatever its text says about the network on the way.
    if (e.name !== 'CredentialUnavailableError' && ((0,network/* isNetworkError */.T)(error) || isEntraServerError(error))) {
        return { action: 'retry', kind: 'server' };
    }
    const statusCode = e.statusCode;
    if (statusCode === 429 || (statusCode !== undefined && statusCode >= 500))
        return { action: 'retry', kind: 'server' };
    const summary = message.replace(/\s+/g, ' ').trim();
    if (e.name === 'CredentialUnavailableError' || e.name === 'AggregateAuthenticationError') {
        return {
            action: 'fail',
            error: new errors/* CloudAccessError */.Ye(`${operation}: no Azure credential was found (${summary})`, {
                input: 'client-id',
                fix: 'pass `client-id` and `tenant-id` to sign in with the GitHub OIDC token, or run azure/login before this step',
                cause: error,
            }),
        };
    }
    return {
        action: 'fail',
        error: new errors/* CloudAccessError */.Ye(`${operation}: could not get an Entra token (${summary})`, {
            input: 'client-id',
            fix: 'check `client-id`, `tenant-id` and `environment` (or `authority-host`)',
            cause: error,
        }),
    };
}
/** No token came from Entra before the step's deadline: most often the runner cannot reach the authority host. */
function noTokenBeforeDeadline(error, authorityHost) {
    const last = error.lastError instanceof Error ? error.lastError.message : String(error.lastError);
    return new errors/* CloudAccessError */.Ye(`no Entra token from ${authorityHost} before the deadline (last error: ${last})`, {
        input: 'authority-host',
        fix: `check that the runner reaches ${authorityHost} (through HTTPS_PROXY if it needs a proxy), and that \`environment\` or \`authority-host\` names the tenant's cloud`,
        cause: error,
    });
}
/**
 * The Entra errors a user fixes in the app registration or the inputs, turned into that fix.
 * Anything else is left to the engine's classifier (transient errors are retried there).
 */
function explainEntraError(error, config, claims) {
    const code = aadstsCode(error);
    if (code === undefined)
        return undefined;
    const detail = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
    const options = (fix, input) => ({ fix, input, cause: error });
    switch (code) {
        case 700213:
        case 70021:
        case 700211:
        case 700212: {
            const seen = claims ? (0,token_claims/* describeClaims */.Z)(claims) : 'sub=? aud=? iss=?';
            return new errors/* CloudAccessError */.Ye(`Entra found no federated credential on application ${config.clientId} that matches the GitHub OIDC token (AADSTS${code}); the token has ${seen}`, options(`add a federated credential to the application (or user-assigned managed identity) with issuer \`${claims?.iss ?? GITHUB_ISSUER}\`, subject exactly \`${claims?.sub ?? "the token's sub"}\` and audience \`${config.audience}\`. The subject changes with the branch, tag, environment or pull_request trigger, and embeds numeric IDs for repositories using immutable subject claims`, 'client-id'));
        }
        case 700016:
            return new errors/* CloudAccessError */.Ye(`application ${config.clientId} was not found in tenant ${config.tenantId} (AADSTS700016: ${detail})`, options('check `client-id` (the application/client ID, not its object ID) and `tenant-id`; an app from another tenant needs a service principal in this one', 'client-id'));
        case 700024:
            return new errors/* CloudAccessError */.Ye(`Entra rejected the GitHub OIDC token as outside its valid time range (AADSTS700024: ${detail})`, options("check the runner's clock (a self-hosted runner must keep its time in sync) and that the job did not hold the token past its lifetime", 'client-id'));
        case 90002:
            return new errors/* CloudAccessError */.Ye(`tenant ${config.tenantId} was not found (AADSTS90002: ${detail})`, options('check `tenant-id`, and that `environment` (or `authority-host`) names the cloud the tenant is in', 'tenant-id'));
        default:
            return undefined;
    }
}
/**
 * MSAL could not read the authority's OpenID configuration because the request got no answer:
 * the network error itself (`networkError`, recorded by the credential's metadata policy), which
 * the engine retries inside the deadline like any other.
 */
function explainMetadataError(error, networkError) {
    if (networkError === undefined)
        return undefined;
    if (!/endpoints_resolution_error/.test(error instanceof Error ? error.message : String(error)))
        return undefined;
    return networkError instanceof Error ? networkError : new Error(String(networkError));
}

// EXTERNAL MODULE: ./src/engine/deadline.ts + 1 modules
var deadline = __webpack_require__(7248);
// EXTERNAL MODULE: ./src/engine/ownership.ts
var ownership = __webpack_require__(4679);
// EXTERNAL MODULE: ./src/engine/follow.ts + 1 modules
var follow = __webpack_require__(6411);
;// CONCATENATED MODULE: ./src/azure/own-create.ts




/** How long the post step keeps reading for an assignment whose create answer was lost (ARM's read lag). */
const READ_LAG_SECONDS = 10;
/** ARM records `objectId` (the signed-in identity's, lower-cased) as its creator, at or after `since` (epoch ms). */
function createdByThisStep(assignment, objectId, since) {
    return (objectId !== undefined &&
        assignment.createdBy?.toLowerCase() === objectId &&
        assignment.createdOn !== undefined &&
        assignment.createdOn.getTime() >= since);
}
function judgeCreateAnswer(answer) {
    const { status, record, attempts, refusals, started, objectId } = answer;
    // 201: ARM created it for this request; the reads that follow only wait for ARM to catch up.
    if (status === 201)
        return { created: true };
    // 200: an assignment with this name and these properties was already there (someone made
    // it since findExisting looked, or reads do not show it yet). It is this step's only if an
    // earlier attempt of ours may have made it: ARM's record says who created it, and when.
    const earlierMayHaveApplied = attempts - 1 > refusals;
    if (earlierMayHaveApplied && createdByThisStep(record, objectId, started - ownership/* CLOCK_SKEW_MS */.r))
        return { created: true };
    return {
        created: false,
        note: earlierMayHaveApplied
            ? `ARM answered 200 after a lost answer, and its record (created by ${record.createdBy ?? 'unknown'} at ${record.createdOn?.toISOString() ?? 'an unknown time'}) does not show this step made it: it is left alone by revoke-on-exit`
            : 'ARM answered 200: an identical assignment already existed under this name (reads did not show it yet), so this step did not create it and revoke-on-exit leaves it alone',
    };
}
/**
 * Post step: a create the main step sent without hearing back is this step's when ARM shows an
 * assignment under the name it wrote, for the same principal, role and scope, created by the
 * identity this step signs in as, after the step began. A few reads cover ARM's read lag.
 */
async function ownershipOfLostCreate(reads, lost) {
    const { scope, name, ids } = lost;
    let found;
    await (0,follow/* waitForTerminalStatus */.VO)(async () => {
        found = await reads.getAssignment(scope, { name });
        return { status: found ? 'SUCCEEDED' : 'IN_PROGRESS' };
    }, { deadline: new deadline/* Deadline */.B2(Math.min(READ_LAG_SECONDS, lost.deadline.remainingMs() / 1000)) });
    if (!found)
        return { ownership: 'not-created', why: `ARM shows no assignment named ${name}` };
    if (!matches(found, ids))
        return {
            ownership: 'not-created',
            why: `the assignment named ${name} is for another principal, role or scope`,
        };
    if (!createdByThisStep(found, lost.objectId, lost.since)) {
        return {
            ownership: 'not-created',
            why: `ARM records it as created by ${found.createdBy ?? 'unknown'} at ${found.createdOn?.toISOString() ?? 'an unknown time'}, not by this step's identity since the step began`,
        };
    }
    return { ownership: 'created' };
}

;// CONCATENATED MODULE: ./src/azure/assignments.ts











/**
 * A write is followed until two reads in a row agree with it, as terraform-provider-azurerm does:
 * ARM's reads are eventually consistent, so one read can see the assignment and the next not.
 */
const CONSECUTIVE_READS = 2;
/**
 * ARM answers a role assignment write at once; its reads catch up within about half a second in
 * the same region (the batch learns when they take longer). Creates and deletes are learned apart.
 */
const READ_BACK_EXPECTED_MS = 500;
class AzureRoleAssignmentDriver {
    config;
    parts;
    cloud = 'azure';
    stats;
    reads;
    clientFor;
    call;
    /**
     * The signed-in identity's object ID (the token's `oid`): ARM records it as an assignment's
     * `createdBy`, which is how a create whose answer was lost is recognised as this step's.
     */
    objectId;
    /** The grants' scopes as the inputs parsed them, by the scope written in the IDs. */
    scopes;
    constructor(config, parts) {
        this.config = config;
        this.parts = parts;
        this.stats = parts.stats;
        this.clientFor = parts.clientFor;
        this.call = parts.call;
        this.reads = new ArmReads(parts.clientFor, parts.call, parts.debug);
        this.scopes = new Map(config.grants.map((g) => [g.scope.scope, g.scope]));
    }
    /** Gets the first Entra token now, so a set-up error fails the step once, with its fix, before any grant. */
    async prepare() {
        try {
            const token = await this.call('GetToken', (signal) => 
            // enableCae as ARM's bearer-token policy asks, so its first request reuses this token
            // (@azure/identity caches CAE and non-CAE tokens apart).
            this.parts.credential.getToken(this.config.tokenScope, { abortSignal: signal, enableCae: true }));
            const oid = token ? (0,token_claims/* decodeClaims */.Y)(token.token).oid : undefined;
            this.objectId = typeof oid === 'string' ? oid.toLowerCase() : undefined;
        }
        catch (error) {
            throw error instanceof retry/* DeadlineExceededError */.K
                ? noTokenBeforeDeadline(error, this.config.authorityHost)
                : error;
        }
    }
    async resolve(grant) {
        const roleId = await this.reads.roleDefinitionId(grant.role, grant.scope);
        const ids = { principalId: grant.principalId, targetId: grant.scope.scope, roleId };
        return { ...ids, name: this.nameOf(ids) };
    }
    /** The assignment by its name first (one GET), else among the principal's assignments at the scope (one list, shared). */
    async findExisting(ids) {
        const scope = this.scopeOf(ids.targetId);
        if (ids.name) {
            const byName = await this.reads.getAssignment(scope, { name: ids.name });
            if (byName && matches(byName, ids))
                return existingOf(byName);
        }
        const listed = await this.reads.sharedListForPrincipal(scope, ids.principalId);
        const found = listed.find((a) => matches(a, ids));
        return found ? existingOf(found) : undefined;
    }
    async create(ids) {
        const scope = this.scopeOf(ids.targetId);
        const client = this.clientFor(scope);
        const name = this.nameOf(ids);
        const body = this.createBody(ids);
        let response;
        // Attempts sent, and answers that refused (4xx): more attempts than refusals before the last
        // means an earlier attempt may have been applied with its answer lost.
        let attempts = 0;
        let refusals = 0;
        const started = Date.now();
        try {
            // PrincipalNotFound (replication delay) is retried by the call runner for a bounded window.
            const created = await this.call('RoleAssignments_Create', (signal) => {
                attempts++;
                return client.roleAssignments.create(urlPathArgument(scope.scope), name, body, {
                    abortSignal: signal,
                    onResponse: (raw) => {
                        response = responseInfo(raw);
                        if (raw.status >= 400 && raw.status < 500)
                            refusals++;
                    },
                });
            });
            const requestId = response?.requestId ?? '';
            const assignmentId = created.id ?? assignmentIdOf(scope.scope, name);
            const verdict = judgeCreateAnswer({
                status: response?.status,
                record: created,
                attempts,
                refusals,
                started,
                objectId: this.objectId,
            });
            if (verdict.created) {
                return {
                    kind: 'pending',
                    request: {
                        requestId,
                        assignmentId,
                        createdOnAcceptance: true,
                        poll: this.pollUntil(scope, assignmentId, 'present'),
                        pacing: readBackPacing('present'),
                    },
                };
            }
            return {
                kind: 'done',
                requestId,
                changed: false,
                alreadyExisted: true,
                assignmentId,
                note: verdict.note,
            };
        }
        catch (error) {
            // Same scope, role and principal under another name. Matched on the code: ARM changed the
            // message in 2025 (azure-cli #32027).
            if (error instanceof ArmError && error.code === 'RoleAssignmentExists')
                return this.existsUnderAnotherName(error, scope, ids);
            if (attempts > refusals)
                (0,calls/* markPossiblyApplied */.Mj)(error);
            throw error;
        }
    }
    /** The PUT's body: the role and principal, and what the inputs add to every assignment. */
    createBody(ids) {
        return {
            roleDefinitionId: ids.roleId,
            principalId: ids.principalId,
            // Always sent: with it ARM accepts a principal that Entra has not replicated yet.
            principalType: this.config.principalType,
            description: this.config.description,
            ...(this.config.condition
                ? { condition: this.config.condition, conditionVersion: this.config.conditionVersion ?? '2.0' }
                : {}),
            ...(this.config.delegatedManagedIdentityResourceId
                ? { delegatedManagedIdentityResourceId: this.config.delegatedManagedIdentityResourceId }
                : {}),
        };
    }
    /** 409 RoleAssignmentExists: the assignment is there under another name, which a list finds. */
    async existsUnderAnotherName(error, scope, ids) {
        const existing = (await this.reads.listForPrincipal(scope, ids.principalId)).find((a) => matches(a, ids));
        this.parts.debug?.(`RoleAssignmentExists: the assignment is ${existing?.id ?? 'not visible to a list yet'}`);
        return {
            kind: 'done',
            changed: false,
            alreadyExisted: true,
            ...(error.requestId ? { requestId: error.requestId } : {}),
            ...(existing?.id ? { assignmentId: existing.id } : {}),
        };
    }
    /**
     * Post step: whether a create the main step sent without hearing back made the assignment, by
     * what ARM recorded (own-create.ts).
     */
    async findOwnCreate(ids, since) {
        const scope = this.scopeOf(ids.targetId);
        const name = this.nameOf(ids);
        return ownershipOfLostCreate(this.reads, {
            scope,
            name,
            ids,
            objectId: this.objectId,
            since,
            deadline: this.parts.deadline,
        });
    }
    async remove(ids, existing) {
        const scope = this.scopeOf(ids.targetId);
        const client = this.clientFor(scope);
        // The ID is built here from the scope as written and a GUID name, never taken from a server's
        // answer: a server-supplied ID would go into the DELETE URL as it is.
        const name = existing?.name ?? this.nameOf(ids);
        if (!patterns/* GUID */.Sm.test(name))
            throw new errors/* CloudAccessError */.Ye(`ARM listed the assignment under the name \`${name}\`, which is not a GUID; it was not deleted`);
        const assignmentId = assignmentIdOf(scope.scope, name);
        let response;
        try {
            await this.call('RoleAssignments_Delete', (signal) => client.roleAssignments.deleteById(urlPathArgument(assignmentId), {
                abortSignal: signal,
                onResponse: (raw) => (response = responseInfo(raw)),
            }));
        }
        catch (error) {
            if (error instanceof ArmError && error.statusCode === 404) {
                return {
                    kind: 'done',
                    changed: false,
                    alreadyExisted: true,
                    ...(error.requestId ? { requestId: error.requestId } : {}),
                };
            }
            throw error;
        }
        const requestId = response?.requestId ?? '';
        // 204: "Role assignment was already deleted or does not exist" (RoleAssignments_Delete).
        if (response?.status === 204)
            return { kind: 'done', requestId, changed: false, alreadyExisted: true, assignmentId };
        return {
            kind: 'pending',
            request: {
                requestId,
                assignmentId,
                poll: this.pollUntil(scope, assignmentId, 'absent'),
                pacing: readBackPacing('absent'),
            },
        };
    }
    /** One status read for the engine's poll loop: SUCCEEDED once CONSECUTIVE_READS reads in a row agree. */
    pollUntil(scope, assignmentId, wanted) {
        let agreeing = 0;
        return async () => {
            const found = await this.reads.getAssignment(scope, { id: assignmentId });
            agreeing = (found !== undefined) === (wanted === 'present') ? agreeing + 1 : 0;
            return { status: agreeing >= CONSECUTIVE_READS ? 'SUCCEEDED' : 'IN_PROGRESS' };
        };
    }
    scopeOf(target) {
        const known = this.scopes.get(target);
        if (known)
            return known;
        const parsed = (0,azure_scope/* parseAzureScope */.v9)(target);
        if (typeof parsed === 'string')
            throw new errors/* CloudAccessError */.Ye(`\`${target}\` is not an Azure scope: ${parsed}`, { input: 'target' });
        return parsed;
    }
    nameOf(ids) {
        return ids.name ?? (0,azure_scope/* assignmentNameFor */.kS)(this.config.assignmentName, ids);
    }
}
function readBackPacing(wanted) {
    return { key: `azure:read-back-${wanted}`, expectedMs: READ_BACK_EXPECTED_MS };
}
function existingOf(assignment) {
    return {
        ...(assignment.id ? { assignmentId: assignment.id } : {}),
        ...(assignment.name ? { name: assignment.name } : {}),
    };
}
function assignmentIdOf(scope, name) {
    return `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
}

// EXTERNAL MODULE: ./node_modules/@azure/identity/dist/esm/index.js + 273 modules
var dist_esm = __webpack_require__(3549);
// EXTERNAL MODULE: ./src/github/workflow-commands.ts
var workflow_commands = __webpack_require__(5513);
;// CONCATENATED MODULE: ./src/azure/credentials.ts





/**
 * MSAL has built-in metadata for these; for any other host, instance discovery would fetch the
 * authority's metadata from login.microsoft.com, an outbound call (@azure/identity,
 * AuthorityValidationOptions.disableInstanceDiscovery; MSAL.NET, "Custom authority aliases").
 */
const PUBLIC_AUTHORITY_HOSTS = new Set([
    'login.microsoftonline.com',
    'login.microsoftonline.us',
    'login.chinacloudapi.cn',
]);
/**
 * A couple of quick retries inside the Entra client: a 5xx that reaches MSAL makes it refuse the
 * same request for up to 60 s (its throttling cache), which the engine's retries could not get past.
 */
const ENTRA_RETRY_OPTIONS = { maxRetries: 2, retryDelayInMs: 500, maxRetryDelayInMs: 2000 };
function isPublicAuthorityHost(authorityHost) {
    try {
        return PUBLIC_AUTHORITY_HOSTS.has(new URL(authorityHost).hostname.toLowerCase());
    }
    catch {
        return false;
    }
}
/**
 * The credential every ARM client shares. It masks each access token it hands out (the SDK keeps
 * it, but a debug log must never show it) and turns Entra's set-up errors into fixes.
 */
function createAzureCredential(config, requestToken, httpClient) {
    const common = {
        ...(httpClient ? { httpClient } : {}),
        authorityHost: config.authorityHost,
        retryOptions: ENTRA_RETRY_OPTIONS,
        additionalPolicies: [{ policy: requestTimeoutPolicy(), position: 'perRetry' }],
    };
    if (!config.clientId || !config.tenantId)
        return new MaskingCredential(new dist_esm/* DefaultAzureCredential */.gv(common), () => undefined);
    const assertion = recentAssertion(() => requestToken(config.audience));
    const metadata = metadataFailures();
    const { tenantId, clientId } = config;
    const federated = () => new dist_esm/* ClientAssertionCredential */.XI(tenantId, clientId, assertion.get, {
        ...common,
        additionalPolicies: [...common.additionalPolicies, { policy: metadata.policy, position: 'perCall' }],
        disableInstanceDiscovery: !isPublicAuthorityHost(config.authorityHost),
    });
    return new MaskingCredential(federated(), (error) => {
        const last = assertion.last();
        // Whatever Entra made of it, the next exchange starts from a new GitHub token.
        assertion.forget();
        return (explainMetadataError(error, metadata.last()) ??
            explainEntraError(error, config, last ? (0,token_claims/* decodeClaims */.Y)(last) : undefined));
    }, federated);
}
/**
 * The GitHub token given to MSAL as the client assertion. MSAL asks for it several times for each
 * access token (for its cache lookup as well as the exchange), so a token fetched moments ago is
 * handed out again, for at most a minute and half its lifetime (measured on this machine's clock
 * from when it arrived, so clock skew does not matter): one GitHub OIDC request per Entra exchange,
 * as azure/login's single token, and a fresh one for every later exchange.
 */
function recentAssertion(fetch, now = () => performance.now()) {
    let current;
    return {
        get: async () => {
            if (current && now() - current.fetchedAt < current.reuseMs)
                return current.token;
            const token = await fetch();
            const { iat, exp } = (0,token_claims/* decodeClaims */.Y)(token);
            const lifetimeMs = typeof iat === 'number' && typeof exp === 'number' ? (exp - iat) * 1000 : 0;
            current = { token, fetchedAt: now(), reuseMs: Math.min(60_000, lifetimeMs / 2) };
            return token;
        },
        last: () => current?.token,
        forget: () => {
            if (current)
                current.reuseMs = 0;
        },
    };
}
/**
 * Records the network error of the last request for the authority's OpenID configuration that
 * failed to get an answer: MSAL reports it only as `endpoints_resolution_error`, which
 * @azure/identity turns into "credential unavailable", so a refused proxy or an unreachable
 * authority host would otherwise read as missing `client-id` / `tenant-id`.
 */
function metadataFailures() {
    let last;
    return {
        policy: {
            name: 'cloudAccessMetadataFailures',
            async sendRequest(request, next) {
                if (!request.url.includes('/.well-known/openid-configuration'))
                    return next(request);
                try {
                    const response = await next(request);
                    last = undefined;
                    return response;
                }
                catch (error) {
                    last = error;
                    throw error;
                }
            },
        },
        last: () => last,
    };
}
class MaskingCredential {
    inner;
    explain;
    renew;
    masked;
    /**
     * `renew` makes the credential used after Entra answered 5xx or 429. MSAL keeps such an answer
     * that got past the Entra client's own retries and, for 60 s (its throttling cache), replays it
     * to every request for that token without calling Entra: the engine's retries would spin in
     * place that long, or past a shorter deadline. A new credential has a new MSAL client with an
     * empty cache, so the engine's backoff and deadline decide when Entra is tried again.
     */
    constructor(inner, explain, renew) {
        this.inner = inner;
        this.explain = explain;
        this.renew = renew;
    }
    async getToken(scopes, options) {
        let token;
        try {
            token = await this.inner.getToken(scopes, options);
        }
        catch (error) {
            if (this.renew && isEntraServerError(error))
                this.inner = this.renew();
            throw this.explain(error) ?? error;
        }
        if (token && token.token !== this.masked) {
            (0,workflow_commands/* setSecret */.Pq)(token.token);
            this.masked = token.token;
        }
        return token;
    }
}

;// CONCATENATED MODULE: ./src/azure/errors.ts
// The Azure adapter's error classifier: which ARM errors to retry, and which are final (explained
// in arm-errors.ts); errors from getting the Entra token are judged in entra-errors.ts. The SDK's
// own retries are off (retryOptions.maxRetries 0) so that one engine owns backoff and the deadline.




/**
 * How long a create keeps retrying PrincipalNotFound: a principal created moments before is not
 * visible to ARM until Entra replicates it (the error text itself says so); sending principalType
 * shortens this, and terraform-provider-azurerm retries the same error for a bounded time.
 */
const PRINCIPAL_REPLICATION_SECONDS = 120;
/**
 * The delay a response asks for, in ms, as Azure's own throttling strategy reads it:
 * `retry-after-ms`, then `x-ms-retry-after-ms`, then `Retry-After` in seconds or as an HTTP date.
 */
function retryAfterMs(headers, now = Date.now()) {
    if (!headers)
        return undefined;
    for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
        const value = headers.get(name)?.trim();
        if (value && /^\d+(\.\d+)?$/.test(value))
            return Math.round(Number(value));
    }
    const value = headers.get('retry-after')?.trim();
    if (!value)
        return undefined;
    if (/^\d+(\.\d+)?$/.test(value))
        return Math.round(Number(value) * 1000);
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
/**
 * The engine's classifier for this adapter. A cancelled step never reaches it (the call runner
 * fails the call itself), so an AbortError here is an attempt's timeout, and is retried.
 */
function classifyAzureError(error, operation) {
    if (error instanceof errors/* CloudAccessError */.Ye)
        return { action: 'fail', error };
    const e = (error ?? {});
    const name = e.name ?? '';
    if (isAuthError(name))
        return classifyAuthError(error, operation);
    const status = e.statusCode ?? e.response?.status;
    if (status === undefined) {
        if ((0,network/* isNetworkError */.T)(error))
            return { action: 'retry', kind: 'network' };
        return {
            action: 'fail',
            error: new errors/* CloudAccessError */.Ye(`${operation} failed: ${name ? `${name}: ` : ''}${e.message ?? String(error)}`, { cause: error }),
        };
    }
    const headers = e.response?.headers;
    const after = retryAfterMs(headers);
    // ARM throttles with 429; Azure's pipeline would not retry one without Retry-After, we do.
    if (status === 429)
        return { action: 'retry', kind: 'throttled', ...(after !== undefined ? { retryAfterMs: after } : {}) };
    if (status === 408 || (status >= 500 && status !== 501 && status !== 505)) {
        return { action: 'retry', kind: 'server', ...(after !== undefined ? { retryAfterMs: after } : {}) };
    }
    if (e.code === 'AnotherOperationInProgress')
        return { action: 'retry', kind: 'conflict' };
    const explained = explainArmError(e, status, operation, error);
    if (explained instanceof PrincipalNotFoundError && operation === 'RoleAssignments_Create') {
        return {
            action: 'retry',
            kind: 'replication',
            windowMs: PRINCIPAL_REPLICATION_SECONDS * 1000,
            giveUp: (waitedMs) => principalStillNotFound(explained, e.request?.body, waitedMs),
        };
    }
    return { action: 'fail', error: explained };
}
/**
 * PrincipalNotFound for the whole replication window (or until the deadline): named with the
 * principal ID and type the create sent, which the request's JSON body holds.
 */
function principalStillNotFound(last, body, waitedMs) {
    const { principalId, principalType } = sentPrincipal(body);
    const waited = Math.round(waitedMs / 1000);
    return new PrincipalNotFoundError(`${principalId ? `principal ${principalId}` : 'the principal'} was still not found in the directory after ${waited} s of retries${last.requestId ? ` (ARM request ${last.requestId})` : ''}`, last, {
        input: 'principal',
        fix: `check that \`principal\` is the object ID of a user, group or service principal in the tenant of the subscription, and that \`principal-type\`${principalType ? ` (${principalType})` : ''} is its real type: with the right type ARM accepts a principal Entra has not replicated yet. A principal created just before this step can take minutes to replicate: re-run, or raise \`timeout-seconds\``,
        cause: last,
    });
}
/** `properties.principalId` and `principalType` of a role assignment PUT's body, when it can be read. */
function sentPrincipal(body) {
    if (typeof body !== 'string')
        return {};
    try {
        const { properties } = JSON.parse(body);
        return {
            ...(typeof properties?.principalId === 'string' ? { principalId: properties.principalId } : {}),
            ...(typeof properties?.principalType === 'string' ? { principalType: properties.principalType } : {}),
        };
    }
    catch {
        return {};
    }
}

;// CONCATENATED MODULE: ./src/azure/index.ts
// The Azure adapter, loaded with import() only when `cloud: azure`, so an AWS step never loads it.









/**
 * The Azure SDKs log to stderr, raw, when `AZURE_LOG_LEVEL` or `DEBUG` is set (an earlier step can
 * set either through GITHUB_ENV), and what they log includes Entra's and ARM's error texts. The
 * runner obeys workflow commands on stderr too, so their log goes to the step's debug log instead,
 * through the same escaping as every other line.
 */
function routeSdkLogs(debug) {
    esm/* AzureLogger */.i2.log = (...args) => debug?.((0,external_node_util_.format)(...args));
}
function createAzureDriver(config, deps) {
    routeSdkLogs(deps.debug);
    const stats = (0,driver/* emptyStats */.b)();
    const call = (0,calls/* createCallRunner */.vi)({
        classify: classifyAzureError,
        deadline: deps.deadline,
        stats,
        signal: deps.signal,
        ...(deps.debug ? { debug: deps.debug } : {}),
    });
    const credential = createAzureCredential(config, deps.requestToken);
    const pacer = new ArmWritePacer((ms) => deps.deadline.sleep(ms, deps.signal));
    return new AzureRoleAssignmentDriver(config, {
        clientFor: createArmClients(config, credential, pacer),
        credential,
        call,
        stats,
        deadline: deps.deadline,
        signal: deps.signal,
        debug: deps.debug,
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
}


/***/ })

};
