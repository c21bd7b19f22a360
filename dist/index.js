import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 2841:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   VA: () => (/* binding */ roleGuidOf),
/* harmony export */   kS: () => (/* binding */ assignmentNameFor),
/* harmony export */   m0: () => (/* binding */ unsafePathReason),
/* harmony export */   v9: () => (/* binding */ parseAzureScope)
/* harmony export */ });
/* unused harmony export deterministicAssignmentName */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _patterns_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8132);
// Azure scopes: validated and written the way ARM writes them, so that the same scope always
// yields the same deterministic assignment name and compares equal to what the API returns.


const RESOURCE_GROUP_NAME = /^[-\w._()]{1,90}$/u;
const SEGMENT = /^[^/?#\s\p{Cc}]{1,260}$/u;
const MANAGEMENT_GROUP_ID = /^[\w().-]{1,90}$/;
/**
 * Why `path` could name another place than it seems to once it is in a URL, or undefined when it
 * cannot. The SDKs put scopes and IDs into request URLs unencoded, and URL parsing resolves `.` and
 * `..` segments (also spelt `%2e`), treats a backslash as `/`, and cuts at `?` and `#`: a target of
 * `…/storageAccounts/x/../../../..` would be granted at the subscription while the log named the
 * storage account. Invisible characters (U+202E, U+200B…) make a scope read as another. So any of
 * these is refused rather than normalised: what is granted is exactly what the log shows.
 */
function unsafePathReason(path) {
    const invisible = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.exec(path);
    if (invisible) {
        const code = invisible[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
        return `it contains the invisible or control character U+${code}`;
    }
    if (path.includes('%'))
        return 'it contains a percent escape (`%`); write the characters themselves';
    if (/[?#]/.test(path))
        return 'it contains `?` or `#`, which would end the URL path';
    if (path.includes('\\'))
        return 'it contains a backslash, which URLs read as `/`';
    const segments = path.replace(/^\/+/, '').split('/');
    if (segments.some((s) => s === '.' || s === '..'))
        return 'it contains a `.` or `..` segment, which would move the scope to another place';
    if (segments.some((s) => s.length === 0))
        return 'it has an empty path segment';
    return undefined;
}
/** Returns the normalised scope, or a sentence saying why `value` is not one. */
function parseAzureScope(value) {
    const trimmed = value.trim().replace(/\/$/, '');
    const unsafe = unsafePathReason(trimmed);
    if (unsafe)
        return unsafe;
    const path = trimmed.startsWith('/') ? trimmed.slice(1) : trimmed;
    const parts = path.split('/');
    const [first, second, third, fourth, ...rest] = parts;
    if (first?.toLowerCase() === 'providers') {
        if (second?.toLowerCase() === 'microsoft.management' &&
            third?.toLowerCase() === 'managementgroups' &&
            fourth !== undefined &&
            rest.length === 0) {
            if (!MANAGEMENT_GROUP_ID.test(fourth))
                return `management group ID \`${fourth}\` is not valid`;
            return { scope: `/providers/Microsoft.Management/managementGroups/${fourth}`, kind: 'managementGroup' };
        }
        return 'a /providers scope must be /providers/Microsoft.Management/managementGroups/{id}';
    }
    if (first?.toLowerCase() !== 'subscriptions' || second === undefined) {
        return 'a scope starts with /subscriptions/{id} or /providers/Microsoft.Management/managementGroups/{id}';
    }
    if (!_patterns_js__WEBPACK_IMPORTED_MODULE_1__/* .GUID */ .Sm.test(second))
        return `subscription ID \`${second}\` is not a GUID`;
    const subscriptionId = second.toLowerCase();
    if (third === undefined)
        return { scope: `/subscriptions/${subscriptionId}`, kind: 'subscription', subscriptionId };
    if (third.toLowerCase() !== 'resourcegroups' || fourth === undefined) {
        return 'after /subscriptions/{id} a scope continues with /resourceGroups/{name}';
    }
    if (!RESOURCE_GROUP_NAME.test(fourth) || fourth.endsWith('.'))
        return `resource group name \`${fourth}\` is not valid`;
    const resourceGroup = `/subscriptions/${subscriptionId}/resourceGroups/${fourth}`;
    if (rest.length === 0)
        return { scope: resourceGroup, kind: 'resourceGroup', subscriptionId };
    // A resource: /providers/{Namespace}/{type}/{name}[/{type}/{name}]…
    const [providers, namespace, ...typesAndNames] = rest;
    if (providers?.toLowerCase() !== 'providers' ||
        namespace === undefined ||
        !/^[A-Za-z]+\.[A-Za-z.]+$/.test(namespace)) {
        return 'a resource scope continues with /providers/{Namespace}/{type}/{name}';
    }
    if (typesAndNames.length < 2 || typesAndNames.length % 2 !== 0) {
        return 'a resource scope needs /{type}/{name} pairs after the provider namespace';
    }
    if (!typesAndNames.every((s) => SEGMENT.test(s)))
        return 'a resource type or name has characters ARM does not allow';
    return {
        scope: `${resourceGroup}/providers/${namespace}/${typesAndNames.join('/')}`,
        kind: 'resource',
        subscriptionId,
    };
}
/**
 * A UUID (RFC 4122 version 5 layout) derived from the scope, principal and role, in the spirit of
 * Bicep's guid(scope, principal, role): re-running the step PUTs the same name, which ARM treats
 * as idempotent.
 */
function deterministicAssignmentName(scope, principalId, roleDefinitionGuid) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha1')
        .update(`cloud-access\n${scope.toLowerCase()}\n${principalId.toLowerCase()}\n${roleDefinitionGuid.toLowerCase()}`)
        .digest();
    hash[6] = (hash[6] & 0x0f) | 0x50;
    hash[8] = (hash[8] & 0x3f) | 0x80;
    const hex = hash.subarray(0, 16).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
/** The name a grant's assignment is written under: `assignment-name` when given, else the deterministic one. */
function assignmentNameFor(assignmentName, ids) {
    return assignmentName ?? deterministicAssignmentName(ids.targetId, ids.principalId, roleGuidOf(ids.roleId));
}
/**
 * The trailing GUID of a role definition ID, lower-cased. ARM echoes
 * `/providers/Microsoft.Authorization/roleDefinitions/{guid}` for a role sent as
 * `/subscriptions/{sub}/providers/…/{guid}` (as the RoleAssignments_CreateForSubscription example in
 * __tests__/fixtures/contracts shows it), so role definitions compare by GUID.
 */
function roleGuidOf(roleDefinitionId) {
    const last = roleDefinitionId.slice(roleDefinitionId.lastIndexOf('/') + 1);
    return last.toLowerCase();
}


/***/ }),

/***/ 4296:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ InputErrors),
/* harmony export */   Uc: () => (/* binding */ describeError),
/* harmony export */   Ye: () => (/* binding */ CloudAccessError)
/* harmony export */ });
/**
 * An error that tells the user what went wrong and how to fix it. `input` names the action input
 * at fault, when there is one, so the message can point at the exact line of the workflow.
 */
class CloudAccessError extends Error {
    fix;
    input;
    constructor(message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.name = 'CloudAccessError';
        this.fix = options.fix;
        this.input = options.input;
    }
    /** The message with its fix, as printed in annotations and failure reasons. */
    describe() {
        return this.fix ? `${this.message}: ${this.fix}` : this.message;
    }
}
/** Every invalid input at once, so a user fixes a workflow in one round trip. */
class InputErrors extends Error {
    problems;
    constructor(problems) {
        super(problems.map((p) => p.describe()).join('\n'));
        this.problems = problems;
        this.name = 'InputErrors';
    }
}
function describeError(error) {
    if (error instanceof CloudAccessError)
        return error.describe();
    if (error instanceof Error)
        return error.message;
    return String(error);
}


/***/ }),

/***/ 402:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Am: () => (/* binding */ unique),
/* harmony export */   E1: () => (/* binding */ parseList),
/* harmony export */   g9: () => (/* binding */ closestNames)
/* harmony export */ });
/* unused harmony export editDistance */
/** A list input: values separated by newlines or commas, trimmed, empty entries dropped. */
function parseList(value) {
    return value
        .split(/[\n,]/)
        .map((entry) => entry.trim())
        .filter((entry) => entry.length > 0);
}
/** Keeps the first of each value, comparing by `key`. */
function unique(values, key = String) {
    const seen = new Set();
    return values.filter((value) => {
        const k = key(value);
        if (seen.has(k))
            return false;
        seen.add(k);
        return true;
    });
}
/** Edit distance, for "did you mean" suggestions. */
function editDistance(a, b) {
    const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = previous[0];
        previous[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = previous[j];
            previous[j] = Math.min(above + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return previous[b.length];
}
/** The candidates closest to `wanted` (case-insensitive), best first. */
function closestNames(wanted, candidates, count = 3) {
    const w = wanted.toLowerCase();
    return [...candidates]
        .map((name) => {
        const n = name.toLowerCase();
        const distance = n.includes(w) || w.includes(n) ? 0 : editDistance(w, n);
        return { name, distance };
    })
        .sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))
        .slice(0, count)
        .map((c) => c.name);
}


/***/ }),

/***/ 8132:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $O: () => (/* binding */ IAM_ROLE_ARN),
/* harmony export */   A2: () => (/* binding */ REQUEST_ID),
/* harmony export */   El: () => (/* binding */ PRINTABLE),
/* harmony export */   Ht: () => (/* binding */ PERMISSION_SET_ARN),
/* harmony export */   Hy: () => (/* binding */ IDENTITY_STORE_ID),
/* harmony export */   Np: () => (/* binding */ FALSE_INPUT),
/* harmony export */   Sm: () => (/* binding */ GUID),
/* harmony export */   VA: () => (/* binding */ ROLE_NAME),
/* harmony export */   VN: () => (/* binding */ AWS_REGION),
/* harmony export */   W_: () => (/* binding */ ACCOUNT_ID),
/* harmony export */   dI: () => (/* binding */ PERMISSION_SET_NAME),
/* harmony export */   iX: () => (/* binding */ INSTANCE_ARN),
/* harmony export */   kA: () => (/* binding */ TRUE_INPUT),
/* harmony export */   mE: () => (/* binding */ ROLE_SESSION_NAME),
/* harmony export */   op: () => (/* binding */ IDENTITY_STORE_PRINCIPAL_ID),
/* harmony export */   r3: () => (/* binding */ ROLE_DEFINITION_ID)
/* harmony export */ });
// Input patterns, taken from the service models so that anything we accept the service accepts.
const PARTITIONS = '(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b)';
/** SSO Admin InstanceArn (Smithy model, all partitions). */
const INSTANCE_ARN = new RegExp(`^arn:${PARTITIONS}:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$`);
/** SSO Admin PermissionSetArn (Smithy model, all partitions). */
const PERMISSION_SET_ARN = new RegExp(`^arn:${PARTITIONS}:sso:::permissionSet/(sso)?ins-[a-zA-Z0-9-.]{16}/ps-[a-zA-Z0-9-./]{16}$`);
/** SSO Admin PermissionSetName. */
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;
/** SSO Admin TargetId / AccountId. */
const ACCOUNT_ID = /^\d{12}$/;
/** SSO Admin PrincipalId: optional identity-store prefix, then a GUID. */
const IDENTITY_STORE_PRINCIPAL_ID = /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;
/** Identity Store IdentityStoreId. */
const IDENTITY_STORE_ID = /^d-[0-9a-f]{10}$|^[0-9a-f]{8}\b-[0-9a-f]{4}\b-[0-9a-f]{4}\b-[0-9a-f]{4}\b-[0-9a-f]{12}$/;
/** IAM role ARN for AssumeRoleWithWebIdentity, any partition. */
const IAM_ROLE_ARN = new RegExp(`^arn:${PARTITIONS}:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$`);
/** STS RoleSessionName. */
const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** A boolean input's two values, in any case (`true`, `True`, `TRUE` …). */
const TRUE_INPUT = /^true$/i;
const FALSE_INPUT = /^false$/i;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** A full role definition ID, at a subscription or tenant level. */
const ROLE_DEFINITION_ID = /^(\/subscriptions\/[0-9a-fA-F-]{36}|\/providers\/Microsoft\.Management\/managementGroups\/[\w().-]{1,90})?\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-fA-F-]{36})$/i;
/** Azure role names: letters, digits, spaces and the punctuation the built-in and custom roles use. */
const ROLE_NAME = /^[\p{L}\p{N} ._()&/,:+-]{1,512}$/u;
/** Printable text without control characters (names resolved through an API). */
const PRINTABLE = /^[^\p{Cc}]+$/u;
/** An SSO Admin request ID (Smithy `UUId`): the only request IDs saved state may carry. */
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;


/***/ }),

/***/ 8942:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Y: () => (/* binding */ decodeClaims),
/* harmony export */   Z: () => (/* binding */ describeClaims)
/* harmony export */ });
// The claims of a JWT (the GitHub OIDC token, an Entra access token), read without verifying it:
// only to say what a trust policy or federated credential was shown, and who signed in.
function decodeClaims(token) {
    try {
        return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    }
    catch {
        return {};
    }
}
/** `sub`, `aud` and `iss`: what a trust policy or federated credential is matched against. */
function describeClaims(claims) {
    const aud = Array.isArray(claims.aud) ? claims.aud.join(',') : claims.aud;
    return `sub=${claims.sub ?? '?'} aud=${aud ?? '?'} iss=${claims.iss ?? '?'}`;
}


/***/ }),

/***/ 935:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   FR: () => (/* binding */ ATTEMPT_TIMEOUT_MS),
/* harmony export */   Ho: () => (/* binding */ mayHaveBeenApplied),
/* harmony export */   Mj: () => (/* binding */ markPossiblyApplied),
/* harmony export */   vi: () => (/* binding */ createCallRunner)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(4296);
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(7248);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(2197);



/**
 * The longest one attempt may take; the deadline cuts it shorter. The SDKs' own request timeouts
 * (aws/clients.ts, azure/policies.ts) are set to it as well, so that a hung connection fails in
 * the SDK, with its error, at the same moment.
 */
const ATTEMPT_TIMEOUT_MS = 15_000;
function createCallRunner(options) {
    const { stats, limiter } = options;
    return async (operation, call) => {
        // Whether any attempt was sent and never answered with a refusal: the call may have been applied.
        let sentWithoutAnswer = false;
        // The last attempt that was sent failed with this (for a retry the deadline then kept back).
        let lastSentError;
        let sent = 0;
        try {
            return await (0,_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .withRetry */ .b)(operation, async () => {
                const bound = { deadline: options.deadline, signal: options.signal };
                await limiter?.take(operation, bound, options.priorityOf?.(operation));
                // Nothing is sent once the deadline has passed, however the wait for this attempt went.
                if (options.deadline.passed)
                    throw new _deadline_js__WEBPACK_IMPORTED_MODULE_1__/* .NotSentError */ .SD(operation, 'its turn', options.deadline);
                stats.calls[operation] = (stats.calls[operation] ?? 0) + 1;
                sent++;
                const timeout = AbortSignal.timeout(Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, options.deadline.remainingMs())));
                const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
                try {
                    return await abandonOnAbort(call(signal), signal);
                }
                catch (error) {
                    if (!answeredWithRefusal(error))
                        sentWithoutAnswer = true;
                    lastSentError = error;
                    throw error;
                }
            }, {
                classify: (error, op) => options.signal?.aborted
                    ? { action: 'fail', error: new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CloudAccessError */ .Ye(`${op} was cancelled`, { cause: error }) }
                    : options.classify(error, op),
                deadline: options.deadline,
                ...(options.signal ? { signal: options.signal } : {}),
                observer: {
                    onRetry(op, kind, attempt, delayMs, error) {
                        stats.retries++;
                        if (kind === 'throttled') {
                            stats.throttled++;
                            limiter?.drain();
                        }
                        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
                        options.debug?.(`${op}: ${kind} (${reason}); retry ${attempt} in ${delayMs} ms`);
                    },
                },
            });
        }
        catch (error) {
            // A retry the deadline kept back: the call itself was sent, and it is its last error that counts.
            const final = error instanceof _deadline_js__WEBPACK_IMPORTED_MODULE_1__/* .NotSentError */ .SD && sent > 0
                ? new _retry_js__WEBPACK_IMPORTED_MODULE_2__/* .DeadlineExceededError */ .K(operation, lastSentError)
                : error;
            if (sentWithoutAnswer)
                markPossiblyApplied(final);
            throw final;
        }
    };
}
/** Errors of calls that were sent and may have been applied: no answer, or a server error. */
const possiblyApplied = new WeakSet();
/**
 * Whether the call that failed with `error` may still have done what it asked: one of its
 * attempts was sent and got no answer (a dead connection, a timeout) or a 5xx. A 4xx answer
 * (throttled, conflict, denied, invalid) is the service's refusal: nothing was applied.
 */
function mayHaveBeenApplied(error) {
    return typeof error === 'object' && error !== null && possiblyApplied.has(error);
}
/** A 4xx answer from the service (AWS SDK `$metadata.httpStatusCode`, Azure RestError `statusCode`). */
function answeredWithRefusal(error) {
    // Never sent at all (a wait inside an SDK's pipeline that the deadline ended says so with `notSent`).
    if (error instanceof _deadline_js__WEBPACK_IMPORTED_MODULE_1__/* .NotSentError */ .SD || error?.notSent === true)
        return true;
    const e = error;
    const status = e?.$metadata?.httpStatusCode ?? e?.statusCode;
    return status !== undefined && status >= 400 && status < 500;
}
/**
 * Settles with an AbortError as soon as `signal` fires, whether or not the call honours it: some
 * SDK paths (MSAL's token request among them) do not, and a call must not outlive its deadline.
 */
function abandonOnAbort(pending, signal) {
    if (signal.aborted) {
        // The call saw the aborted signal too and will likely reject: nothing else awaits it, and an
        // unhandled rejection would end the process.
        pending.catch(() => { });
        return Promise.reject(abortError(signal));
    }
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(abortError(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        pending.then((value) => {
            signal.removeEventListener('abort', onAbort);
            resolve(value);
        }, (error) => {
            signal.removeEventListener('abort', onAbort);
            reject(error);
        });
    });
}
function abortError(signal) {
    const reason = signal.reason;
    const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
    const error = new Error(timedOut ? 'the request timed out' : 'the request was aborted', { cause: reason });
    // The name isNetworkError knows: retried after a timeout (a cancellation never reaches a classifier).
    error.name = 'AbortError';
    return error;
}
/** Marks `error` as that of a call that may have been applied (for errors built from such a call's error). */
function markPossiblyApplied(error) {
    if (typeof error === 'object' && error !== null)
        possiblyApplied.add(error);
}


/***/ }),

/***/ 7248:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  B2: () => (/* binding */ Deadline),
  SD: () => (/* binding */ NotSentError),
  pq: () => (/* binding */ whenBoundEnds)
});

;// CONCATENATED MODULE: external "node:timers/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers/promises");
;// CONCATENATED MODULE: ./src/engine/deadline.ts

/** The step's single deadline (`timeout-seconds`): every wait, retry and poll stays inside it. */
class Deadline {
    seconds;
    now;
    input;
    endsAt;
    constructor(seconds, now = Date.now, 
    /** The input that set it, for messages: `timeout-seconds`, or the post step's `post-timeout-seconds`. */
    input = 'timeout-seconds') {
        this.seconds = seconds;
        this.now = now;
        this.input = input;
        this.endsAt = now() + seconds * 1000;
    }
    remainingMs() {
        return Math.max(0, this.endsAt - this.now());
    }
    get passed() {
        return this.remainingMs() === 0;
    }
    /** Sleeps `ms`, or less when the deadline comes first; returns false when the deadline has passed. */
    async sleep(ms, signal) {
        const wait = Math.min(ms, this.remainingMs());
        if (wait > 0)
            await (0,promises_namespaceObject.setTimeout)(wait, undefined, signal ? { signal } : undefined);
        return !this.passed;
    }
}
/**
 * The deadline passed (or the step was cancelled) before a request was sent: it was never sent,
 * so it changed nothing. Whatever waited for its turn (a rate limit, a quota slot, a place in the
 * queue) gives up rather than send after the deadline.
 */
class NotSentError extends Error {
    operation;
    waitingFor;
    constructor(operation, waitingFor, deadline) {
        super(`${operation} was not sent: the ${deadline.seconds}s deadline (\`${deadline.input}\`) passed while it waited for ${waitingFor}`);
        this.operation = operation;
        this.waitingFor = waitingFor;
        this.name = 'NotSentError';
    }
}
/**
 * Calls `onEnd` once when the deadline passes or the signal fires, unless the returned `stop` is
 * called first. Used by the queues so that a waiter leaves the queue at the deadline.
 */
function whenBoundEnds(bound, onEnd) {
    let done = false;
    const end = () => {
        if (done)
            return;
        done = true;
        stop();
        onEnd();
    };
    const timer = setTimeout(end, bound.deadline.remainingMs());
    bound.signal?.addEventListener('abort', end, { once: true });
    const stop = () => {
        done = true;
        clearTimeout(timer);
        bound.signal?.removeEventListener('abort', end);
    };
    return stop;
}


/***/ }),

/***/ 6411:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  sx: () => (/* binding */ RequestFollower),
  VO: () => (/* binding */ waitForTerminalStatus)
});

// UNUSED EXPORTS: DEFAULT_PACING

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __nccwpck_require__(4296);
// EXTERNAL MODULE: ./src/engine/deadline.ts + 1 modules
var deadline = __nccwpck_require__(7248);
;// CONCATENATED MODULE: ./src/engine/latency.ts
// How long the writes of one kind take to finish, learned as a batch runs, and when to read a
// request's status because of it. Pure: times are milliseconds since the request was accepted,
// and the caller owns the clock.
//
// A status read that finds the request still running is a call spent on nothing, and each one
// spends the 20 calls a second that the creates need too; a read long after the request finished
// holds its quota slot for nothing. So each request is read once at its predicted completion,
// then a few times quickly after it, then less and less often (a request that runs long costs few
// reads). The prediction comes from what the batch has seen so far:
// - a read that finds a request still running at `t` proves writes can take longer than `t`: the
//   prediction moves past `t` at once, for every request not read yet;
// - after a run of first reads that all found their request finished, one request is read
//   earlier than predicted, a probe: if it had finished, the prediction moves there, and the next
//   probe comes sooner and reaches further; if not, it cost one read, and the next probe comes
//   later and reaches less far (the request is then read when predicted, like any other).
/** How far past a still-running sighting the prediction moves (a fraction of it, at least the minimum). */
const PAST_SIGHTING = { fraction: 0.02, minMs: 20 };
/**
 * Probes: how much earlier than predicted (a fraction of the prediction, first and at most / at
 * least), and after how many first reads in a row that found their request finished (after a
 * probe that found it finished / after one that did not).
 */
const PROBE = { reach: 0.3, maxReach: 0.5, minReach: 0.05, after: 10, afterSuccess: 3 };
/** Until this many have finished, the prediction is the prior's and follow-ups are spaced for it. */
const WARM_AFTER = 3;
/** Quick reads after a read that came too early: this fraction of the prediction apart, this many. */
const QUICK = { coldFraction: 0.3, warmFraction: 0.1, minMs: 100, count: 3 };
/** Then the gap grows by this factor up to the cap. */
const SLOWER = { factor: 1.5, capMs: 5_000 };
class LatencyEstimate {
    prior;
    predictedMs;
    finishedCount = 0;
    firstReadsFinishedInARow = 0;
    probeReach = PROBE.reach;
    probeAfter = PROBE.after;
    probing = false;
    constructor(prior) {
        this.prior = prior;
        this.predictedMs = prior.expectedMs;
    }
    /** The predicted completion, ms after acceptance: when to read a request first. */
    get expectedMs() {
        return this.predictedMs;
    }
    /**
     * Whether the next request to be followed should be a probe (read first at `probeAt()`): only
     * one at a time, after a run of first reads that all found their request finished.
     */
    takeProbe() {
        if (this.probing || this.firstReadsFinishedInARow < this.probeAfter)
            return false;
        this.probing = true;
        return true;
    }
    /** When a probe is read first. */
    probeAt() {
        return this.predictedMs * (1 - this.probeReach);
    }
    /** What the probe's first read found. */
    probed(finished) {
        this.probing = false;
        this.firstReadsFinishedInARow = 0;
        if (finished) {
            this.predictedMs = this.probeAt();
            this.probeReach = Math.min(PROBE.maxReach, this.probeReach * 1.5);
            this.probeAfter = PROBE.afterSuccess;
        }
        else {
            this.probeReach = Math.max(PROBE.minReach, this.probeReach / 2);
            this.probeAfter = PROBE.after;
        }
    }
    /** The gap between quick follow-up reads. */
    quickGapMs() {
        const spacing = this.finishedCount < WARM_AFTER
            ? this.prior.expectedMs * QUICK.coldFraction
            : this.predictedMs * QUICK.warmFraction;
        return Math.max(QUICK.minMs, spacing);
    }
    /**
     * When to read again after the `followUps`-th read (0: the first) found the request still
     * running at `runningAt`: quickly at first, then less often.
     */
    nextReadAt(runningAt, followUps) {
        const quick = this.quickGapMs();
        const gap = followUps < QUICK.count
            ? quick
            : Math.min(SLOWER.capMs, quick * SLOWER.factor ** (followUps - QUICK.count + 1));
        return runningAt + gap;
    }
    /** A read found a request still running at `at`. */
    sawRunning(at) {
        this.firstReadsFinishedInARow = 0;
        this.predictedMs = Math.max(this.predictedMs, at + Math.max(PAST_SIGHTING.minMs, at * PAST_SIGHTING.fraction));
    }
    /** A read found a request finished (`firstRead`: its first read did). */
    sawFinished(firstRead) {
        this.finishedCount++;
        if (firstRead)
            this.firstReadsFinishedInARow++;
    }
}

;// CONCATENATED MODULE: ./src/engine/follow.ts
// Follows accepted requests to a terminal status, spending as few status reads as it can: each
// request is read near the completion its kind's LatencyEstimate predicts, and when several are
// due within a moment of each other, one call that reads many (AWS's
// ListAccountAssignmentCreationStatus) replaces a read each, as long as it keeps showing the
// requests it is asked about. Every request of a step goes through one follower, so what one
// request's completion teaches serves the next.



/** Used when an adapter gives no pacing: a write that is read back soon after it is made. */
const DEFAULT_PACING = { key: 'default', expectedMs: 1_000 };
/** Reads due this soon are made in the same round (timers fire a little late or early). */
const SAME_ROUND_MS = 15;
/**
 * A many-at-once read is made when it is expected to show at least this many requests due now or
 * within the gather window: it spares a read for each but one.
 */
const SHOWN_FOR_MANY_AT_ONCE = 2;
/** Requests due within this fraction of the prediction (or one quick gap, when read before) join the round. */
const GATHER_FRACTION = 0.1;
class RequestFollower {
    bound;
    now;
    estimates = new Map();
    /** Per key: how many requests many-at-once reads were asked about, and showed. */
    manyAtOnce = new Map();
    waiting = new Set();
    timer;
    stopWatchingBound;
    constructor(bound, now = Date.now) {
        this.bound = bound;
        this.now = now;
    }
    /** The estimate for `pacing`'s key (for tests and logs). */
    estimateFor(pacing) {
        let estimate = this.estimates.get(pacing.key);
        if (!estimate) {
            estimate = new LatencyEstimate(pacing);
            this.estimates.set(pacing.key, estimate);
        }
        return estimate;
    }
    /**
     * The request's terminal snapshot, or IN_PROGRESS when the deadline passes first. A failed
     * read rejects (the caller reports it); so does cancellation.
     */
    follow(request) {
        if (this.bound.signal?.aborted)
            return Promise.reject(this.cancelled(request));
        if (this.bound.deadline.passed)
            return Promise.resolve({ status: 'IN_PROGRESS' });
        return new Promise((resolve, reject) => {
            const pacing = request.pacing ?? DEFAULT_PACING;
            const followed = {
                request,
                pacing,
                acceptedAt: this.now(),
                nextReadAt: undefined,
                probe: this.estimateFor(pacing).takeProbe(),
                runningReads: 0,
                busy: false,
                settle: (result) => {
                    if (!this.waiting.delete(followed))
                        return;
                    // A probe that ends unread (the deadline, an error) leaves room for the next one.
                    if (followed.probe)
                        this.estimateFor(pacing).probed(false);
                    if ('snapshot' in result)
                        resolve(result.snapshot);
                    else
                        reject(result.error);
                    this.schedule();
                },
            };
            this.waiting.add(followed);
            this.schedule();
        });
    }
    /** When to read `f` next: a request not read yet follows its kind's prediction as it moves. */
    dueAt(f) {
        if (f.nextReadAt !== undefined)
            return f.nextReadAt;
        const estimate = this.estimateFor(f.pacing);
        return f.acceptedAt + (f.probe ? estimate.probeAt() : estimate.expectedMs);
    }
    /** Sets the timer for the next due read, and ends every wait at the deadline or on cancellation. */
    schedule() {
        clearTimeout(this.timer);
        this.timer = undefined;
        if (this.waiting.size === 0) {
            this.stopWatchingBound?.();
            this.stopWatchingBound = undefined;
            return;
        }
        this.stopWatchingBound ??= (0,deadline/* whenBoundEnds */.pq)(this.bound, () => {
            this.stopWatchingBound = undefined;
            for (const f of [...this.waiting]) {
                f.settle(this.bound.signal?.aborted
                    ? { error: this.cancelled(f.request) }
                    : { snapshot: { status: 'IN_PROGRESS' } });
            }
        });
        let next = Infinity;
        for (const f of this.waiting)
            if (!f.busy)
                next = Math.min(next, this.dueAt(f));
        if (next === Infinity)
            return;
        this.timer = setTimeout(() => this.round(), Math.max(0, next - this.now()));
    }
    /**
     * Reads what is due. Where a kind can be read many at once, the requests due within a moment
     * (the gather window) are read with one call when it is likely to show at least two of them.
     */
    round() {
        this.timer = undefined;
        const now = this.now();
        const byKey = new Map();
        for (const f of this.waiting) {
            if (f.busy)
                continue;
            const estimate = this.estimateFor(f.pacing);
            const gather = f.runningReads > 0 ? estimate.quickGapMs() : estimate.expectedMs * GATHER_FRACTION;
            const dueAt = this.dueAt(f);
            const group = byKey.get(f.pacing.key) ?? { pacing: f.pacing, due: [], soon: [] };
            byKey.set(f.pacing.key, group);
            if (dueAt <= now + SAME_ROUND_MS)
                group.due.push(f);
            else if (dueAt <= now + gather)
                group.soon.push(f);
        }
        for (const { pacing, due, soon } of byKey.values()) {
            if (due.length === 0)
                continue;
            const candidates = [...due, ...soon];
            if (pacing.readMany && candidates.length * this.showOdds(pacing) >= SHOWN_FOR_MANY_AT_ONCE)
                void this.readMany(pacing, candidates);
            else
                for (const f of due)
                    void this.readOne(f);
        }
        this.schedule();
    }
    /**
     * How likely a many-at-once read of this kind shows a request it is asked about: taken to be
     * likely until tried, then as counted (a service whose pages do not show the requests asked
     * about soon stops being asked).
     */
    showOdds(pacing) {
        const { asked, shown } = this.manyAtOnce.get(pacing.key) ?? { asked: 0, shown: 0 };
        return (shown + 2) / (asked + 2);
    }
    /** One status read of one request. */
    async readOne(f) {
        f.busy = true;
        const sentAt = this.now() - f.acceptedAt;
        let snapshot;
        try {
            snapshot = await f.request.poll();
        }
        catch (error) {
            f.busy = false;
            f.settle({ error: this.bound.signal?.aborted ? this.cancelled(f.request) : error });
            return;
        }
        f.busy = false;
        this.judge(f, snapshot, sentAt);
    }
    /** What one read of `f` (made `sentAt` after its acceptance) found. */
    judge(f, snapshot, sentAt) {
        const estimate = this.estimateFor(f.pacing);
        if (f.probe) {
            // A probe that found it running is read again when predicted, like any other request.
            f.probe = false;
            estimate.probed(snapshot.status !== 'IN_PROGRESS');
            if (snapshot.status === 'IN_PROGRESS') {
                this.schedule();
                return;
            }
        }
        if (snapshot.status === 'IN_PROGRESS') {
            this.sawRunning(f, sentAt);
            this.schedule();
            return;
        }
        estimate.sawFinished(f.runningReads === 0);
        f.settle({ snapshot });
    }
    /**
     * One call for every request of this kind accepted before it, due or not: a request it shows
     * finished ends there; one it shows running is read again later if this was its turn, and keeps
     * its turn if not; one it does not show is read on its own when due. `read` are the requests it
     * was made for, which count towards how often such reads show what they are asked about.
     */
    async readMany(pacing, read) {
        const sentAtClock = this.now();
        const members = [...this.waiting].filter((f) => f.pacing.key === pacing.key && !f.busy && f.acceptedAt < sentAtClock);
        for (const f of members)
            f.busy = true;
        let shown;
        try {
            shown = await pacing.readMany(members.map((f) => f.request.requestId));
        }
        catch {
            // The call failed: each request due is read on its own instead; the others keep their turn.
            shown = new Map();
        }
        const counts = this.manyAtOnce.get(pacing.key) ?? { asked: 0, shown: 0 };
        this.manyAtOnce.set(pacing.key, counts);
        for (const f of members) {
            f.busy = false;
            if (!this.waiting.has(f))
                continue;
            const snapshot = shown.get(f.request.requestId);
            if (read.includes(f)) {
                counts.asked++;
                if (snapshot)
                    counts.shown++;
            }
            // Seen running before its turn: it keeps its turn (the read told nothing new).
            const due = this.dueAt(f) <= sentAtClock + SAME_ROUND_MS;
            if (snapshot && (due || snapshot.status !== 'IN_PROGRESS'))
                this.judge(f, snapshot, sentAtClock - f.acceptedAt);
            else if (!snapshot && due)
                void this.readOne(f);
        }
        this.schedule();
    }
    sawRunning(f, at) {
        const estimate = this.estimateFor(f.pacing);
        estimate.sawRunning(at);
        f.nextReadAt = f.acceptedAt + estimate.nextReadAt(at, f.runningReads);
        f.runningReads++;
    }
    cancelled(request) {
        return new errors/* CloudAccessError */.Ye(`the step was cancelled while request ${request.requestId} was running; it may still finish`);
    }
}
/**
 * Reads one request's status until it is terminal or the deadline passes, paced as a batch is
 * (from `pacing`'s prior: one request alone teaches nothing before it ends). Returns the last
 * snapshot: IN_PROGRESS means the deadline came first.
 */
function waitForTerminalStatus(check, options) {
    const follower = new RequestFollower({ deadline: options.deadline, signal: options.signal });
    return follower.follow({
        requestId: options.requestId ?? 'the request',
        poll: check,
        ...(options.pacing ? { pacing: options.pacing } : {}),
    });
}


/***/ }),

/***/ 7100:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   WS: () => (/* binding */ mapWithConcurrency),
/* harmony export */   jf: () => (/* binding */ Semaphore),
/* harmony export */   v$: () => (/* binding */ RateLimiter)
/* harmony export */ });
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7248);
// Client-side limits that keep a batch inside the services' published quotas, so throttling is
// the exception rather than the steady state. Every wait in them ends at the step's deadline:
// a request still queued then is never sent (NotSentError), however long the queue.

/** Whether the step's deadline has passed or the step was cancelled. */
function ended(bound) {
    return bound !== undefined && (bound.deadline.passed || bound.signal?.aborted === true);
}
/**
 * Waiters in order of priority (lower first), first come first served within one, each of whom
 * leaves the queue when its bound ends (rejecting with the error `notSent` gives) rather than
 * waiting on past the deadline. Shared by the semaphore and the rate limiter, which only differ in
 * when they call `next()`.
 */
class WaitQueue {
    waiters = [];
    get length() {
        return this.waiters.length;
    }
    wait(bound, notSent, priority = 0) {
        if (ended(bound))
            return Promise.reject(notSent());
        return new Promise((resolve, reject) => {
            const waiter = {
                priority,
                turn: () => {
                    stop();
                    resolve();
                },
            };
            const behind = this.waiters.findIndex((w) => w.priority > priority);
            this.waiters.splice(behind === -1 ? this.waiters.length : behind, 0, waiter);
            const stop = bound
                ? (0,_deadline_js__WEBPACK_IMPORTED_MODULE_0__/* .whenBoundEnds */ .pq)(bound, () => {
                    this.waiters.splice(this.waiters.indexOf(waiter), 1);
                    reject(notSent());
                })
                : () => { };
        });
    }
    /** Gives the first waiter its turn; false when nobody waits. */
    next() {
        const waiter = this.waiters.shift();
        waiter?.turn();
        return waiter !== undefined;
    }
}
/** At most `limit` holders at once (CreateAccountAssignment outstanding, ProvisionPermissionSet…). */
class Semaphore {
    limit;
    describe;
    active = 0;
    queue = new WaitQueue();
    constructor(limit, 
    /** What a waiter waits for, in words, for NotSentError. */
    describe = 'a free slot') {
        this.limit = limit;
        this.describe = describe;
    }
    /** A release function, once a slot is free; NotSentError for `operation` if the bound ends first. */
    async acquire(operation, bound) {
        const notSent = () => new _deadline_js__WEBPACK_IMPORTED_MODULE_0__/* .NotSentError */ .SD(operation, this.describe, bound.deadline);
        if (ended(bound))
            throw notSent();
        // A released slot passes straight to the next waiter, so `active` stays counted for it.
        if (this.active < this.limit)
            this.active++;
        else
            await this.queue.wait(bound, notSent);
        let released = false;
        return () => {
            if (released)
                return;
            released = true;
            if (!this.queue.next())
                this.active--;
        };
    }
    async run(operation, task, bound) {
        const release = await this.acquire(operation, bound);
        try {
            return await task();
        }
        finally {
            release();
        }
    }
}
/**
 * Spaces calls at most `perSecond` a second, with a burst of `burst`, first come first served
 * within a priority (lower first). A token bucket: each call takes a token, tokens refill
 * continuously.
 */
class RateLimiter {
    perSecond;
    burst;
    now;
    tokens;
    last;
    queue = new WaitQueue();
    timer;
    constructor(perSecond, burst = perSecond, now = Date.now) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.now = now;
        this.tokens = burst;
        this.last = now();
    }
    /** Waits for a token, in order; NotSentError for `operation` if the bound ends first. */
    take(operation = 'the call', bound, priority = 0) {
        const turn = this.queue.wait(bound, () => new _deadline_js__WEBPACK_IMPORTED_MODULE_0__/* .NotSentError */ .SD(operation, 'its turn under the rate limit', bound.deadline), priority);
        this.serve();
        return turn;
    }
    /** After the service throttled us anyway, stop issuing for a moment (drain the bucket). */
    drain() {
        this.refill();
        this.tokens = Math.min(this.tokens, 0);
    }
    refill() {
        const now = this.now();
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
        this.last = now;
    }
    /** Hands out the tokens there are, in order, and sets a timer for the next one. */
    serve() {
        this.refill();
        while (this.queue.length > 0 && this.tokens >= 1) {
            this.tokens -= 1;
            this.queue.next();
        }
        if (this.queue.length > 0 && this.timer === undefined) {
            this.timer = setTimeout(() => {
                this.timer = undefined;
                this.serve();
            }, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
        }
    }
}
/**
 * Runs `task` over `items` with at most `limit` in flight; results keep the input order. Once the
 * bound ends, items not started yet get `notStarted(item)` instead of running.
 */
async function mapWithConcurrency(items, limit, task, notStarted) {
    const results = new Array(items.length);
    let next = 0;
    const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length) {
            const index = next++;
            const ended = notStarted && (notStarted.bound.deadline.passed || notStarted.bound.signal?.aborted === true);
            results[index] = ended ? notStarted.result(items[index], index) : await task(items[index], index);
        }
    });
    await Promise.all(workers);
    return results;
}


/***/ }),

/***/ 300:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ isNetworkError)
/* harmony export */ });
// The one place that recognises a connection-level failure: the request got no answer at all,
// so the call may be retried (the call runner also counts it as possibly applied).
/** Node's, undici's and the Azure pipeline's codes for a connection that failed or went silent. */
const NETWORK_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'ETIMEDOUT',
    'ESOCKETTIMEDOUT',
    'EPIPE',
    'ENOTFOUND',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    // @azure/core-rest-pipeline's RestError.REQUEST_SEND_ERROR: the request could not be sent.
    'REQUEST_SEND_ERROR',
]);
/**
 * Error names of a request that timed out: the AWS SDK's request handler (TimeoutError,
 * RequestTimeout), and the AbortError the call runner rejects with when an attempt's own timeout
 * passes. A cancelled step never reaches a classifier: the call runner fails the call itself.
 */
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'AbortError']);
/**
 * Network failures that only show in the message: a reset socket, and MSAL's `network_error` and
 * `no_network_connectivity`, which carry no code.
 */
const NETWORK_MESSAGE = /socket hang up|ECONNRESET|ECONNREFUSED|ETIMEDOUT|\b(network_error|no_network_connectivity|REQUEST_SEND_ERROR)\b/;
/** Whether `error` is a connection-level failure: no answer came back from the service. */
function isNetworkError(error, options = {}) {
    if (typeof error === 'string')
        return NETWORK_MESSAGE.test(error);
    if (typeof error !== 'object' || error === null)
        return false;
    const { code, name, message } = error;
    if (typeof code === 'string' &&
        NETWORK_CODES.has(code) &&
        (code !== 'ENOTFOUND' || options.hostNotFound !== false))
        return true;
    if (typeof name === 'string' && TIMEOUT_NAMES.has(name))
        return true;
    return typeof message === 'string' && NETWORK_MESSAGE.test(message);
}


/***/ }),

/***/ 4679:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   O: () => (/* binding */ confirmOwnership),
/* harmony export */   r: () => (/* binding */ CLOCK_SKEW_MS)
/* harmony export */ });
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7248);
/* harmony import */ var _follow_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(6411);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(4296);
// The post step's first question for every grant the main step saved: did this step create it?
// Only the service's word counts; whatever cannot be confirmed is left alone and reported.



/**
 * How much earlier than the runner's clock said the service may have stamped a create (clocks
 * differ a little): a lost create is looked for from `sentAt` less this. Kept small, since every
 * second of it is a window in which someone else's create of the same grant would pass for ours.
 */
const CLOCK_SKEW_MS = 2_000;
/**
 * `created`: the main step saw the service confirm it, and nothing is read again. `accepted`: the
 * create request is followed to its end, and is the step's if it SUCCEEDED. `unknown`: the service
 * is asked what this step's create did (`findOwnCreate`). A failed read is this grant's failure
 * only: the caller goes on with the others.
 */
async function confirmOwnership(saved, driver, options) {
    try {
        let ownership = saved.ownership;
        let requestId = saved.requestId;
        if (ownership === 'created')
            return { ours: true };
        if (ownership === 'unknown') {
            const found = await driver.findOwnCreate(saved.ids, saved.sentAt - CLOCK_SKEW_MS);
            if (found.ownership === 'not-created')
                return { ours: false, status: 'SUCCEEDED', reason: `left in place: ${found.why}`, leftInPlace: true };
            if (found.ownership === 'created')
                return { ours: true };
            ownership = found.ownership;
            requestId = found.requestId;
        }
        if (!requestId || !driver.followCreate)
            return {
                ours: false,
                status: 'FAILED',
                reason: 'left in place: the create request cannot be followed',
            };
        const snapshot = await (0,_follow_js__WEBPACK_IMPORTED_MODULE_1__/* .waitForTerminalStatus */ .VO)(() => driver.followCreate(requestId), options);
        if (snapshot.status === 'SUCCEEDED')
            return { ours: true };
        if (snapshot.status === 'FAILED')
            return {
                ours: false,
                status: 'SUCCEEDED',
                reason: `nothing to revoke: this step's create request ${requestId} FAILED (${snapshot.failureReason ?? 'no reason given'})`,
            };
        return {
            ours: false,
            status: 'IN_PROGRESS',
            reason: `not revoked: this step's create request ${requestId} was still IN_PROGRESS when the ${options.deadline.seconds}s post-step deadline (\`post-timeout-seconds\`) passed; revoke it by hand once it ends`,
        };
    }
    catch (error) {
        return {
            ours: false,
            // The deadline kept a read from being sent: as unfinished as a request still running.
            status: error instanceof _deadline_js__WEBPACK_IMPORTED_MODULE_0__/* .NotSentError */ .SD ? 'IN_PROGRESS' : 'FAILED',
            reason: `not revoked: could not confirm this step created it: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .describeError */ .Uc)(error)}`,
        };
    }
}


/***/ }),

/***/ 2197:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  K: () => (/* binding */ DeadlineExceededError),
  b: () => (/* binding */ withRetry)
});

;// CONCATENATED MODULE: ./src/engine/backoff.ts
// Delays for retrying (status reads are paced by engine/follow.ts). Pure: the random source is a parameter so tests can pin it.
/**
 * Retries: exponential with "full jitter" (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"), which spreads a throttled batch best. A server-given Retry-After wins when longer.
 */
const RETRY_SCHEDULE = { baseMs: 200, factor: 2, capMs: 8000 };
function retryDelayMs(attempt, retryAfterMs, random = Math.random) {
    const { baseMs, factor, capMs } = RETRY_SCHEDULE;
    const ceiling = Math.min(capMs, baseMs * factor ** attempt);
    const jittered = Math.round(ceiling / 2 + (ceiling / 2) * random());
    return Math.max(jittered, retryAfterMs ?? 0);
}

// EXTERNAL MODULE: ./src/engine/deadline.ts + 1 modules
var deadline = __nccwpck_require__(7248);
;// CONCATENATED MODULE: ./src/engine/retry.ts


class DeadlineExceededError extends Error {
    operation;
    lastError;
    constructor(operation, lastError) {
        super(`${operation} was still being retried when the deadline passed (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`);
        this.operation = operation;
        this.lastError = lastError;
        this.name = 'DeadlineExceededError';
    }
}
/** An attempt aborted this close to the deadline was cut short by it (timers are not exact). */
const DEADLINE_CUT_SLACK_MS = 50;
/**
 * Runs `call` until it succeeds, fails for good, or the deadline (or, for a replication verdict,
 * its window) leaves no room for another try.
 */
async function withRetry(operation, call, options) {
    // The last error a call came back with: an attempt the deadline cut short (an AbortError as it
    // passes) says only that it timed out, while the one before says why it was being retried.
    let answered;
    // The deadline's remaining time at this call's first replication error: the window is measured
    // on the deadline's clock, from there.
    let replicationFrom;
    for (let attempt = 0;; attempt++) {
        try {
            return await call();
        }
        catch (error) {
            // Not sent at all: nothing to judge or retry, and the deadline has passed.
            if (error instanceof deadline/* NotSentError */.SD)
                throw error;
            const cut = error?.name === 'AbortError' &&
                options.deadline.remainingMs() <= DEADLINE_CUT_SLACK_MS;
            if (!cut)
                answered = error;
            const verdict = options.classify(error, operation);
            if (verdict.action === 'fail')
                throw verdict.error;
            const replication = verdict.kind === 'replication';
            const delay = retryDelayMs(attempt, replication ? undefined : verdict.retryAfterMs, options.random);
            const remaining = options.deadline.remainingMs();
            if (replication) {
                replicationFrom ??= remaining;
                const waited = replicationFrom - remaining;
                // The window ends the retries, and so does the deadline when it comes first: either way
                // the call ends with the verdict's own explanation (what it names may not exist).
                if (delay >= Math.min(verdict.windowMs - waited, remaining))
                    throw verdict.giveUp(waited, error);
            }
            else if (delay >= remaining)
                throw new DeadlineExceededError(operation, cut && answered !== undefined ? answered : error);
            options.observer?.onRetry?.(operation, verdict.kind, attempt + 1, delay, error);
            await options.deadline.sleep(delay, options.signal);
        }
    }
}


/***/ }),

/***/ 5513:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   I1: () => (/* binding */ appendJobSummary),
/* harmony export */   LZ: () => (/* binding */ saveState),
/* harmony export */   Lb: () => (/* binding */ issueCommand),
/* harmony export */   Pq: () => (/* binding */ setSecret),
/* harmony export */   V4: () => (/* binding */ getInput),
/* harmony export */   _r: () => (/* binding */ writeLine),
/* harmony export */   uH: () => (/* binding */ setOutput)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
// The runner's side of a step, as the action uses it: its inputs (INPUT_* variables), workflow
// commands on stdout (`::name::message`), and the files it names for outputs, state and the job
// summary (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY). Written to the runner's protocol as
// @actions/core writes it, in a module of its own because importing @actions/core also evaluates
// its OIDC client (@actions/http-client and undici), most of what starting the step used to cost.
// Only ./log.ts writes messages (it makes server text inert first); the rest is for ./state.ts,
// ./report.ts, the secrets the action masks, and the entry points.


/** An input as the runner passes it (`INPUT_<NAME>`, spaces as `_`), trimmed; '' when absent. */
function getInput(name, env = process.env) {
    return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
/** `%`, CR and LF as the runner decodes them in a command's message. */
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** As `escapeData`, and `:` and `,`, which end a command property. */
function escapeProperty(text) {
    return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
/** One workflow command line: `::name key=value::message`. */
function issueCommand(name, message, properties = {}) {
    const props = Object.entries(properties)
        .filter(([, value]) => value)
        .map(([key, value]) => `${key}=${escapeProperty(value)}`)
        .join(',');
    process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`);
}
/** A plain log line (written as is: ./log.ts makes server text inert first). */
function writeLine(text) {
    process.stdout.write(`${text}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`);
}
/** Masks `secret` in everything the runner shows from here on. */
function setSecret(secret) {
    issueCommand('add-mask', secret);
}
/**
 * `name` = `value` in the runner's GITHUB_OUTPUT or GITHUB_STATE file, under a random delimiter
 * that neither contains; without the file, the older `set-output` / `save-state` command.
 */
function setKeyValue(file, name, value) {
    const path = process.env[`GITHUB_${file}`];
    if (!path) {
        if (file === 'OUTPUT')
            process.stdout.write(node_os__WEBPACK_IMPORTED_MODULE_1__.EOL);
        issueCommand(file === 'OUTPUT' ? 'set-output' : 'save-state', value, { name });
        return;
    }
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(path))
        throw new Error(`Missing file at path: ${path}`);
    // Web Crypto's, not node:crypto's: loading that module would be most of what the post step's
    // entry costs when it has nothing to do.
    const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
    if (name.includes(delimiter) || value.includes(delimiter))
        throw new Error(`Unexpected input: the ${file.toLowerCase()} contains the delimiter "${delimiter}"`);
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.appendFileSync)(path, `${name}<<${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}${value}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`, 'utf8');
}
/** A step output (GITHUB_OUTPUT). */
function setOutput(name, value) {
    setKeyValue('OUTPUT', name, value);
}
/** State for this step's post step (GITHUB_STATE), which the runner hands it as `STATE_<name>`. */
function saveState(name, value) {
    setKeyValue('STATE', name, value);
}
/** Appends HTML to the job summary (GITHUB_STEP_SUMMARY); nothing when the runner gives no file. */
function appendJobSummary(html) {
    const path = process.env.GITHUB_STEP_SUMMARY;
    if (path)
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.appendFileSync)(path, html, 'utf8');
}


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 5317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 2018:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tty");

/***/ }),

/***/ 7016:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("url");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  X: () => (/* reexport */ runMainStep),
  U: () => (/* reexport */ runPostStep)
});

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __nccwpck_require__(4296);
// EXTERNAL MODULE: ./src/core/patterns.ts
var patterns = __nccwpck_require__(8132);
;// CONCATENATED MODULE: ./src/core/inputs/endpoints.ts
const DEFAULT_AUDIENCE = {
    aws: 'sts.amazonaws.com',
    azure: 'api://AzureADTokenExchange',
};
const AZURE_ENVIRONMENTS = {
    AzureCloud: {
        authorityHost: 'https://login.microsoftonline.com',
        resourceManagerEndpoint: 'https://management.azure.com',
        tokenScope: 'https://management.azure.com/.default',
    },
    AzureUSGovernment: {
        authorityHost: 'https://login.microsoftonline.us',
        resourceManagerEndpoint: 'https://management.usgovcloudapi.net',
        tokenScope: 'https://management.usgovcloudapi.net/.default',
    },
    AzureChinaCloud: {
        authorityHost: 'https://login.chinacloudapi.cn',
        resourceManagerEndpoint: 'https://management.chinacloudapi.cn',
        tokenScope: 'https://management.chinacloudapi.cn/.default',
    },
};

// EXTERNAL MODULE: ./src/core/lists.ts
var lists = __nccwpck_require__(402);
;// CONCATENATED MODULE: ./src/core/inputs/fields.ts
// Reading one input: the problem collector every check reports to, and the readers that turn a
// raw input into a typed value or a problem naming the input and its fix.



/** Every problem found, so a user fixes a workflow in one round trip. */
class Problems {
    list = [];
    add(input, message, fix) {
        this.list.push(new errors/* CloudAccessError */.Ye(`input \`${input}\`: ${message}`, { input, ...(fix ? { fix } : {}) }));
        return undefined;
    }
}
/** Shows a rejected value without letting it forge log lines or workflow commands. */
function printable(value) {
    const shown = value.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '?');
    return shown.length > 80 ? `${shown.slice(0, 80)}…` : shown;
}
/**
 * An optional input that must match `pattern`: undefined when empty; when it does not match, the
 * problem reads "`value` <mustBe>" with `fix`.
 */
function optionalMatching(problems, read, input, pattern, mustBe, fix) {
    const value = read(input).trim() || undefined;
    if (value && !pattern.test(value))
        problems.add(input, `\`${printable(value)}\` ${mustBe}`, fix);
    return value;
}
function oneOf(problems, input, value, allowed, caseInsensitive = false) {
    const found = allowed.find((a) => caseInsensitive ? a.toLowerCase() === value.toLowerCase() : a === value);
    return (found ?? problems.add(input, `\`${value}\` is not one of ${allowed.map((a) => `\`${a}\``).join(', ')}`));
}
function booleanInput(problems, read, input, fallback) {
    const value = read(input).trim();
    if (value === '')
        return fallback;
    if (patterns/* TRUE_INPUT */.kA.test(value))
        return true;
    if (patterns/* FALSE_INPUT */.Np.test(value))
        return false;
    problems.add(input, `\`${value}\` is not a boolean`, 'use `true` or `false`');
    return fallback;
}
function integerInput(problems, read, input, fallback, max) {
    const value = read(input).trim();
    if (value === '')
        return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
        problems.add(input, `\`${value}\` is not a whole number from 1 to ${max}`);
        return fallback;
    }
    return Number(value);
}
/** A plain https URL (origin and path, no trailing slash), or undefined with a problem. */
function httpsUrl(problems, input, value) {
    try {
        const url = new URL(value);
        if (url.protocol !== 'https:')
            return problems.add(input, `\`${value}\` must be an https URL`);
        if (url.username || url.password || url.search || url.hash) {
            return problems.add(input, `\`${value}\` must be a plain https URL without credentials, query or fragment`);
        }
        return url.origin + url.pathname.replace(/\/+$/, '');
    }
    catch {
        return problems.add(input, `\`${value}\` is not a URL`);
    }
}
/** A list input (newlines or commas), each value printable and at most 2048 characters. */
function listInput(problems, read, input, required) {
    const raw = read(input);
    const values = (0,lists/* parseList */.E1)(raw);
    if (values.length === 0 && required) {
        problems.add(input, raw.trim() === '' ? 'is required' : 'holds no values', 'give one or more values, separated by newlines or commas');
    }
    for (const value of values) {
        if (!patterns/* PRINTABLE */.El.test(value) || value.length > 2048)
            problems.add(input, `\`${printable(value)}\` contains control characters or is too long`);
    }
    return values;
}

;// CONCATENATED MODULE: ./src/core/inputs/grants.ts

const MAX_GRANTS = 1000;
const distinct = (values) => (0,lists/* unique */.Am)(values, (v) => v.written);
/**
 * Refuses a batch over MAX_GRANTS from the list lengths alone: a few kilobytes of input can
 * describe billions of grants, which must be refused before a single one is built.
 */
function withinBatchSize(problems, input, lists) {
    const count = lists.reduce((product, list) => product * list.length, 1);
    if (count <= MAX_GRANTS)
        return true;
    problems.add(input, `${lists.map((l) => l.name).join(' × ')} is ${lists.map((l) => l.length).join(' × ')} = ${count} grants; at most ${MAX_GRANTS} fit in one step`, 'split the lists over several steps');
    return false;
}
/** Every principal × target × role, duplicates dropped. */
function crossProduct(problems, lists, build) {
    const principals = distinct(lists.principals);
    const targets = distinct(lists.targets);
    const roles = distinct(lists.roles);
    const sizes = [
        { name: 'principal', length: principals.length },
        { name: 'target', length: targets.length },
        { name: 'role', length: roles.length },
    ];
    if (!withinBatchSize(problems, 'principal', sizes))
        return [];
    return principals.flatMap((p) => targets.flatMap((t) => roles.map((r) => build({ principal: p.written, target: t.written, role: r.written }, p.value, t.value, r.value))));
}

;// CONCATENATED MODULE: ./src/core/inputs/aws.ts
// The AWS inputs: Region and sign-in, the instance, and the principal, account and permission set
// lists, held to the patterns of the service models so that anything accepted the service accepts.




const PRINCIPAL_TYPES = ['USER', 'GROUP'];
const ALL_ACCOUNTS = 'ALL_PROVISIONED_ACCOUNTS';
/** A user name or group display name: printable, 1–128 characters. */
const PRINCIPAL_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P} ]{1,128}$/u;
function parseAwsInputs(problems, read, env, context, common) {
    const principalType = (oneOf(problems, 'principal-type', read('principal-type').trim() || 'USER', PRINCIPAL_TYPES, true) ??
        'USER').toUpperCase();
    const signIn = awsSignIn(problems, read, env, context);
    const isProvision = common.operation === 'provision';
    const accounts = accountIds(problems, common.targets, isProvision);
    const permissionSets = permissionSetRefs(problems, common.roles, isProvision);
    if (isProvision && common.principals.length > 0) {
        problems.add('principal', '`provision` applies to permission sets and accounts, not principals', 'remove `principal`');
    }
    const principals = principalRefs(problems, common.principals);
    const audience = read('audience').trim() || DEFAULT_AUDIENCE.aws;
    const { grants, provision } = isProvision
        ? { grants: [], provision: provisionRequest(problems, accounts, permissionSets) }
        : {
            grants: crossProduct(problems, { principals, targets: accounts, roles: permissionSets }, (written, principal, accountId, permissionSet) => ({
                cloud: 'aws',
                written,
                principal,
                accountId,
                permissionSet: permissionSet,
            })),
            provision: undefined,
        };
    return {
        ...common,
        cloud: 'aws',
        grants,
        provision,
        principalType,
        audience,
        ...signIn,
        onlyOutdated: booleanInput(problems, read, 'only-outdated', true),
    };
}
/** Where and as whom the step signs in: the Region, the role, and the instance when given. */
function awsSignIn(problems, read, env, context) {
    const region = read('aws-region').trim() || env.AWS_REGION || env.AWS_DEFAULT_REGION || '';
    if (region === '')
        problems.add('aws-region', 'is required (or set `AWS_REGION`)', 'use the Region of your IAM Identity Center instance, e.g. `us-east-1`');
    else if (!patterns/* AWS_REGION */.VN.test(region))
        problems.add('aws-region', `\`${printable(region)}\` is not an AWS Region name like \`us-east-1\``);
    const roleToAssume = optionalMatching(problems, read, 'role-to-assume', patterns/* IAM_ROLE_ARN */.$O, 'is not an IAM role ARN', 'use `arn:<partition>:iam::<12-digit account>:role/<name>`');
    const defaultSession = `cloud-access-${context.runId ?? 'local'}-${context.runAttempt ?? '1'}`;
    const roleSessionName = read('role-session-name').trim() || defaultSession;
    if (!patterns/* ROLE_SESSION_NAME */.mE.test(roleSessionName)) {
        problems.add('role-session-name', `\`${printable(roleSessionName)}\` must be 2–64 characters of letters, digits and \`+=,.@_-\``);
    }
    const instanceArn = optionalMatching(problems, read, 'instance-arn', patterns/* INSTANCE_ARN */.iX, 'is not an IAM Identity Center instance ARN', 'use `arn:aws:sso:::instance/ssoins-<16 characters>` (any partition), or omit it to discover the instance');
    const identityStoreId = optionalMatching(problems, read, 'identity-store-id', patterns/* IDENTITY_STORE_ID */.Hy, 'is not an identity store ID like `d-1234567890`');
    return { region, roleToAssume, roleSessionName, instanceArn, identityStoreId };
}
function accountIds(problems, targets, isProvision) {
    for (const target of targets) {
        if (isProvision && target === ALL_ACCOUNTS)
            continue;
        if (!patterns/* ACCOUNT_ID */.W_.test(target)) {
            problems.add('target', `\`${printable(target)}\` is not a 12-digit AWS account ID`, isProvision ? 'use account IDs or `ALL_PROVISIONED_ACCOUNTS`' : undefined);
        }
    }
    if (isProvision && targets.includes(ALL_ACCOUNTS) && targets.length > 1) {
        problems.add('target', '`ALL_PROVISIONED_ACCOUNTS` already covers every account; list accounts or use it alone');
    }
    return targets.map((t) => ({ written: t, value: t }));
}
/** Permission set ARNs and names; provision also takes `*` (every permission set). */
function permissionSetRefs(problems, roles, isProvision) {
    const parsed = roles.map((role) => {
        if (isProvision && role === '*')
            return { written: role, value: '*' };
        if (role.startsWith('arn:')) {
            if (!patterns/* PERMISSION_SET_ARN */.Ht.test(role)) {
                problems.add('role', `\`${printable(role)}\` is not a permission set ARN`, 'use `arn:aws:sso:::permissionSet/ssoins-<16>/ps-<16>` (any partition) or the permission set name');
            }
            return { written: role, value: { kind: 'arn', arn: role } };
        }
        if (!patterns/* PERMISSION_SET_NAME */.dI.test(role)) {
            problems.add('role', `\`${printable(role)}\` is neither a permission set ARN nor a name (1–32 of letters, digits and \`+=,.@_-\`)`);
        }
        return { written: role, value: { kind: 'name', name: role } };
    });
    if (isProvision && roles.includes('*') && roles.length > 1) {
        problems.add('role', '`*` already means every permission set; list permission sets or use it alone');
    }
    return parsed;
}
function principalRefs(problems, principals) {
    return principals.map((principal) => {
        if (patterns/* IDENTITY_STORE_PRINCIPAL_ID */.op.test(principal))
            return { written: principal, value: { kind: 'id', id: principal } };
        if (!PRINCIPAL_NAME.test(principal)) {
            problems.add('principal', `\`${printable(principal)}\` is neither an Identity Store ID nor a user name or group display name`);
        }
        return { written: principal, value: { kind: 'name', name: principal } };
    });
}
function provisionRequest(problems, accounts, permissionSets) {
    const distinctAccounts = [...new Set(accounts.map((a) => a.written))];
    const distinctSets = [...new Map(permissionSets.map((p) => [p.written, p.value])).values()];
    const sizes = [
        { name: 'target', length: distinctAccounts.length },
        { name: 'role', length: distinctSets.length },
    ];
    if (!withinBatchSize(problems, 'target', sizes))
        return undefined;
    return {
        accounts: distinctAccounts.includes(ALL_ACCOUNTS) ? ALL_ACCOUNTS : distinctAccounts,
        permissionSets: distinctSets.includes('*') ? '*' : distinctSets,
    };
}

// EXTERNAL MODULE: ./src/core/azure-scope.ts
var azure_scope = __nccwpck_require__(2841);
;// CONCATENATED MODULE: ./src/core/inputs/azure.ts
// The Azure inputs: the cloud and sign-in, the principal, scope and role lists (parsed once into
// the typed values the adapter takes as they are), and the assignment's own properties.





const azure_PRINCIPAL_TYPES = ['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'];
function parseAzureInputs(problems, read, env, context, common) {
    const principalType = oneOf(problems, 'principal-type', read('principal-type').trim() || 'User', azure_PRINCIPAL_TYPES, true) ??
        'User';
    const principals = principalIds(problems, common.principals);
    const targets = scopes(problems, common.targets);
    const roles = roleRefs(problems, common.roles);
    const endpoints = endpointsOf(problems, read);
    const { clientId, tenantId } = signIn(problems, read, env);
    const assignmentName = read('assignment-name').trim() || undefined;
    if (assignmentName && !patterns/* GUID */.Sm.test(assignmentName))
        problems.add('assignment-name', `\`${printable(assignmentName)}\` is not a GUID`);
    if (assignmentName && common.principals.length * common.targets.length * common.roles.length > 1) {
        problems.add('assignment-name', 'names a single role assignment, but the lists make several', 'omit it to use deterministic names');
    }
    const { condition, conditionVersion } = abacCondition(problems, read);
    const delegated = read('delegated-managed-identity-resource-id').trim() || undefined;
    if (delegated) {
        const parsed = (0,azure_scope/* parseAzureScope */.v9)(delegated);
        if (typeof parsed === 'string' || parsed.kind !== 'resource') {
            problems.add('delegated-managed-identity-resource-id', `\`${printable(delegated)}\` is not a managed identity resource ID${typeof parsed === 'string' ? `: ${parsed}` : ''}`);
        }
    }
    const description = read('description').trim() || defaultDescription(context);
    if (description.length > 2048)
        problems.add('description', 'is longer than 2048 characters');
    return {
        ...common,
        cloud: 'azure',
        grants: crossProduct(problems, { principals, targets, roles }, (written, principalId, scope, role) => ({
            cloud: 'azure',
            written,
            principalId,
            scope,
            role,
        })),
        principalType: principalType,
        audience: read('audience').trim() || DEFAULT_AUDIENCE.azure,
        clientId,
        tenantId,
        ...endpoints,
        assignmentName,
        condition,
        conditionVersion,
        description,
        delegatedManagedIdentityResourceId: delegated,
    };
}
/** Entra object IDs, lower-cased (ARM writes them so). */
function principalIds(problems, principals) {
    return principals.map((p) => {
        if (!patterns/* GUID */.Sm.test(p))
            problems.add('principal', `\`${printable(p)}\` is not an Entra object ID (a GUID)`, 'pass the object ID of the user, group or service principal');
        return { written: p.toLowerCase(), value: p.toLowerCase() };
    });
}
/** Scopes in ARM's form: the same scope always yields the same assignment name. */
function scopes(problems, targets) {
    return targets.flatMap((t) => {
        const parsed = (0,azure_scope/* parseAzureScope */.v9)(t);
        if (typeof parsed === 'string') {
            problems.add('target', `\`${printable(t)}\` is not an Azure scope: ${parsed}`, 'use /subscriptions/{id}, /subscriptions/{id}/resourceGroups/{name}, a resource ID, or /providers/Microsoft.Management/managementGroups/{id}');
            return [];
        }
        return [{ written: parsed.scope, value: parsed }];
    });
}
/** A role definition GUID, a full role definition ID, or a role name to look up at the scope. */
function roleRefs(problems, roles) {
    return roles.map((r) => {
        const ref = parseRoleReference(r);
        const written = ref.kind === 'guid' ? ref.guid : r;
        if (ref.kind === 'guid')
            return { written, value: ref };
        if (ref.kind === 'id') {
            const unsafe = (0,azure_scope/* unsafePathReason */.m0)(r);
            if (unsafe)
                problems.add('role', `\`${printable(r)}\` is not a role definition ID: ${unsafe}`);
            return { written, value: ref };
        }
        if (r.includes('/') || /^[0-9a-f-]{30,}$/i.test(r)) {
            problems.add('role', `\`${printable(r)}\` is not a role definition GUID or ID`, 'use the GUID, /subscriptions/{id}/providers/Microsoft.Authorization/roleDefinitions/{GUID}, or the role name');
        }
        else if (!patterns/* ROLE_NAME */.VA.test(r)) {
            problems.add('role', `\`${printable(r)}\` is not a role name (letters, digits, spaces and . _ ( ) & / , : + -)`);
        }
        return { written, value: ref };
    });
}
/** What the `role` input holds: a GUID, a full role definition ID, or a role name to look up. */
function parseRoleReference(role) {
    if (patterns/* GUID */.Sm.test(role))
        return { kind: 'guid', guid: role.toLowerCase() };
    if (patterns/* ROLE_DEFINITION_ID */.r3.test(role))
        return { kind: 'id', id: role };
    return { kind: 'name', name: role };
}
function endpointsOf(problems, read) {
    const environmentText = read('environment').trim() || 'AzureCloud';
    const environment = oneOf(problems, 'environment', environmentText, Object.keys(AZURE_ENVIRONMENTS), true) ?? 'AzureCloud';
    const endpoints = AZURE_ENVIRONMENTS[environment];
    const authorityOverride = read('authority-host').trim();
    const armOverride = read('resource-manager-endpoint').trim();
    const authorityHost = authorityOverride
        ? (httpsUrl(problems, 'authority-host', authorityOverride) ?? '')
        : endpoints.authorityHost;
    const resourceManagerEndpoint = armOverride
        ? (httpsUrl(problems, 'resource-manager-endpoint', armOverride) ?? '')
        : endpoints.resourceManagerEndpoint;
    const tokenScope = armOverride ? `${resourceManagerEndpoint}/.default` : endpoints.tokenScope;
    return { environment, authorityHost, resourceManagerEndpoint, tokenScope };
}
function signIn(problems, read, env) {
    const clientId = read('client-id').trim() || env.AZURE_CLIENT_ID || undefined;
    const tenantId = read('tenant-id').trim() || env.AZURE_TENANT_ID || undefined;
    if (clientId && !patterns/* GUID */.Sm.test(clientId))
        problems.add('client-id', `\`${printable(clientId)}\` is not an application (client) ID GUID`);
    if (tenantId && !patterns/* GUID */.Sm.test(tenantId) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(tenantId)) {
        problems.add('tenant-id', `\`${printable(tenantId)}\` is not a tenant ID GUID or domain`);
    }
    if (Boolean(clientId) !== Boolean(tenantId)) {
        problems.add(clientId ? 'tenant-id' : 'client-id', 'is required when the other of `client-id` / `tenant-id` is set', 'give both to exchange the GitHub OIDC token, or neither to use the ambient Azure credential');
    }
    return { clientId, tenantId };
}
function abacCondition(problems, read) {
    const condition = read('condition').trim() || undefined;
    if (condition !== undefined) {
        if (condition.length > 8192)
            problems.add('condition', 'is longer than 8192 characters');
        // Newlines and tabs are fine in a multi-line condition; other control characters are not.
        if (/[^\P{Cc}\n\r\t]/u.test(condition))
            problems.add('condition', 'contains control characters');
        if (!/@(Resource|Request|Principal|Environment)\[|ActionMatches\{|SubOperationMatches\{/.test(condition)) {
            problems.add('condition', 'is not an Azure ABAC condition expression', 'see https://learn.microsoft.com/azure/role-based-access-control/conditions-format');
        }
    }
    const versionText = read('condition-version').trim();
    if (versionText && versionText !== '2.0')
        problems.add('condition-version', `\`${printable(versionText)}\` is not supported; use \`2.0\``);
    if (versionText && !condition)
        problems.add('condition-version', 'is set without a `condition`');
    return { condition, conditionVersion: condition ? versionText || '2.0' : undefined };
}
function defaultDescription(context) {
    return [
        'Granted by cloud-access',
        context.repository ? `for ${context.repository}` : '',
        context.workflow ? `workflow "${context.workflow}"` : '',
        context.runId ? `run ${context.runId}${context.runAttempt ? ` attempt ${context.runAttempt}` : ''}` : '',
    ]
        .filter(Boolean)
        .join(' ');
}

;// CONCATENATED MODULE: ./src/core/inputs/index.ts
// Reads the action's inputs into a typed `StepConfig`. Pure: every check happens here, before any
// network call, and every problem is reported at once with the input it concerns.




const MAX_TIMEOUT_SECONDS = 6 * 60 * 60; // a GitHub-hosted job runs at most 6 hours
const MAX_CONCURRENCY = 100;
function workflowContextFromEnv(env) {
    return {
        repository: env.GITHUB_REPOSITORY,
        workflow: env.GITHUB_WORKFLOW,
        runId: env.GITHUB_RUN_ID,
        runAttempt: env.GITHUB_RUN_ATTEMPT,
        serverUrl: env.GITHUB_SERVER_URL,
    };
}
function parseInputs(read, env = {}, context = workflowContextFromEnv(env)) {
    const problems = new Problems();
    const cloudText = read('cloud').trim();
    const cloud = cloudText === ''
        ? problems.add('cloud', 'is required', 'set it to `aws` or `azure`')
        : oneOf(problems, 'cloud', cloudText.toLowerCase(), ['aws', 'azure']);
    const operationText = read('operation').trim() || 'assign';
    const operation = oneOf(problems, 'operation', operationText.toLowerCase(), [
        'assign',
        'revoke',
        'provision',
    ]);
    if (cloud === 'azure' && operation === 'provision') {
        problems.add('operation', '`provision` re-provisions AWS permission sets and exists only for `cloud: aws`', 'use `assign` or `revoke`');
    }
    const common = {
        operation: operation ?? 'assign',
        wait: booleanInput(problems, read, 'wait', true),
        timeoutSeconds: integerInput(problems, read, 'timeout-seconds', 300, MAX_TIMEOUT_SECONDS),
        postTimeoutSeconds: integerInput(problems, read, 'post-timeout-seconds', 300, MAX_TIMEOUT_SECONDS),
        revokeOnExit: booleanInput(problems, read, 'revoke-on-exit', false),
        dryRun: booleanInput(problems, read, 'dry-run', false),
        maxConcurrency: integerInput(problems, read, 'max-concurrency', 10, MAX_CONCURRENCY),
    };
    if (common.revokeOnExit && common.operation !== 'assign') {
        problems.add('revoke-on-exit', `applies to \`operation: assign\` only, not \`${common.operation}\``);
    }
    const lists = {
        principals: listInput(problems, read, 'principal', common.operation !== 'provision'),
        targets: listInput(problems, read, 'target', true),
        roles: listInput(problems, read, 'role', true),
    };
    const config = cloud === 'aws'
        ? parseAwsInputs(problems, read, env, context, { ...common, ...lists })
        : cloud === 'azure'
            ? parseAzureInputs(problems, read, env, context, { ...common, ...lists })
            : undefined;
    if (problems.list.length > 0 || !config)
        throw new errors/* InputErrors */.G(problems.list);
    return config;
}

// EXTERNAL MODULE: ./src/engine/calls.ts
var calls = __nccwpck_require__(935);
// EXTERNAL MODULE: ./src/engine/deadline.ts + 1 modules
var engine_deadline = __nccwpck_require__(7248);
// EXTERNAL MODULE: ./src/engine/follow.ts + 1 modules
var follow = __nccwpck_require__(6411);
// EXTERNAL MODULE: ./src/engine/limits.ts
var limits = __nccwpck_require__(7100);
;// CONCATENATED MODULE: ./src/engine/run-grants.ts
// Runs every grant of a step through one driver: resolve, read current state, write, follow the
// request to a terminal status. One grant failing does not stop the others, and no grant starts
// once the deadline has passed.





async function runGrants(grants, driver, options) {
    const now = options.now ?? Date.now;
    const report = (result, started) => {
        const finished = { ...result, durationMs: now() - started };
        options.onResult?.(finished);
        return finished;
    };
    const run = { driver, options, follower: new follow/* RequestFollower */.sx(options), reads: new Map() };
    return (0,limits/* mapWithConcurrency */.WS)(grants, options.maxConcurrency, async (grant, index) => {
        const started = now();
        // While this grant writes and waits, the reads of the grant that starts `maxConcurrency`
        // places later are made, so that its write can go as soon as a place is free.
        const later = grants[index + options.maxConcurrency];
        if (later)
            readAhead(later, run);
        return report(await runGrant(grant, run), started);
    }, {
        bound: { deadline: options.deadline, signal: options.signal },
        result: (grant) => report({
            ...baseResult(grant, driver, options),
            status: 'IN_PROGRESS',
            failureReason: `not started: the ${options.deadline.seconds}s deadline (\`${options.deadline.input}\`) passed before its turn; nothing was requested`,
        }, now()),
    });
}
function baseResult(grant, driver, options) {
    return {
        cloud: driver.cloud,
        operation: options.operation,
        ...grant.written,
        alreadyExisted: false,
        changed: false,
        before: 'unknown',
        after: 'unknown',
        change: 'none',
    };
}
/** The grant's IDs and current assignment, read once: ahead of its turn, or when it comes. */
function readAhead(grant, run) {
    let reads = run.reads.get(grant);
    if (!reads) {
        reads = readGrant(grant, run.driver);
        run.reads.set(grant, reads);
    }
    return reads;
}
/** Never rejects: a read made ahead that fails is reported when the grant's turn comes. */
async function readGrant(grant, driver) {
    const saved = grant.resolved;
    let ids;
    try {
        ids = saved ?? (await driver.resolve(grant));
        let existing = await driver.findExisting(ids);
        // Saved IDs name one assignment: one found under another name (Azure lists the principal's
        // assignments) is someone else's, made after ours was removed, and is not touched.
        if (saved?.name && existing?.name && existing.name.toLowerCase() !== saved.name.toLowerCase())
            existing = undefined;
        return { ids, existing };
    }
    catch (failed) {
        return ids ? { ids, failed } : { failed };
    }
}
async function runGrant(grant, run) {
    const { driver, options } = run;
    const assign = options.operation === 'assign';
    const base = baseResult(grant, driver, options);
    const reads = await readAhead(grant, run);
    if ('failed' in reads)
        return failedBeforeAnswer(reads.failed, { ...base, ...(reads.ids ? { resolved: reads.ids } : {}) }, assign);
    const { ids, existing } = reads;
    try {
        const deleteAnyway = !assign && !existing && options.deleteWhenAbsent === true;
        // A read that found nothing is not proof of absence when the delete is sent anyway.
        const before = existing ? 'present' : deleteAnyway ? 'unknown' : 'absent';
        const known = {
            ...base,
            resolved: ids,
            before,
            ...(existing?.assignmentId ? { assignmentId: existing.assignmentId } : {}),
        };
        if (assign === Boolean(existing) && !deleteAnyway) {
            // Already as asked: assigning what exists, or revoking what is absent, changes nothing.
            return { ...known, status: 'SUCCEEDED', alreadyExisted: true, after: before };
        }
        const change = assign ? 'create' : 'delete';
        if (options.dryRun)
            return { ...known, status: 'SUCCEEDED', change, after: before };
        const outcome = assign
            ? await createTracked(grant, ids, driver, options)
            : await driver.remove(ids, existing);
        const write = {
            grant,
            ids,
            known: { ...known, change },
            intended: assign ? 'present' : 'absent',
        };
        return await judgeOutcome(outcome, write, run);
    }
    catch (error) {
        return failedBeforeAnswer(error, { ...base, resolved: ids }, assign);
    }
}
/** The result of a write the service answered: refused, done at once, or accepted and followed. */
async function judgeOutcome(outcome, write, run) {
    const { known, intended } = write;
    switch (outcome.kind) {
        case 'failed':
            return {
                ...known,
                status: 'FAILED',
                failureReason: outcome.failureReason,
                after: known.before,
                ...optionalRequestId(outcome.requestId),
            };
        case 'done':
            return {
                ...known,
                status: 'SUCCEEDED',
                changed: outcome.changed,
                alreadyExisted: outcome.alreadyExisted ?? !outcome.changed,
                after: intended,
                ...optionalRequestId(outcome.requestId),
                ...(outcome.assignmentId ? { assignmentId: outcome.assignmentId } : {}),
                ...(outcome.note ? { note: outcome.note } : {}),
            };
        case 'pending':
            try {
                return await followRequest(outcome.request, write, run);
            }
            finally {
                outcome.request.release?.();
            }
    }
}
/** An accepted write, followed to a terminal status unless `wait` is off or the deadline comes first. */
async function followRequest(request, { grant, ids, known, intended }, { follower, options }) {
    const assign = options.operation === 'assign';
    const accepted = {
        ...known,
        requestId: request.requestId,
        ...(request.assignmentId ? { assignmentId: request.assignmentId } : {}),
    };
    if (!options.wait)
        return { ...accepted, status: 'IN_PROGRESS', changed: true, after: 'unknown' };
    const snapshot = await follower.follow(request).catch((error) => {
        // A status read the deadline kept from being sent: the write itself was accepted.
        if (error instanceof engine_deadline/* NotSentError */.SD)
            return { status: 'IN_PROGRESS' };
        throw error;
    });
    switch (snapshot.status) {
        case 'SUCCEEDED': {
            const changed = snapshot.changed ?? true;
            if (assign && !request.createdOnAcceptance)
                options.onOwnership?.(grant, ids, 'created', request.requestId);
            return { ...accepted, status: 'SUCCEEDED', changed, alreadyExisted: !changed, after: intended };
        }
        case 'FAILED':
            if (assign)
                options.onOwnership?.(grant, ids, 'not-created');
            return {
                ...accepted,
                status: 'FAILED',
                failureReason: snapshot.failureReason ?? 'the service reported FAILED without a reason',
                after: known.before,
            };
        default:
            return {
                ...accepted,
                status: 'IN_PROGRESS',
                changed: true,
                failureReason: `still IN_PROGRESS when the ${options.deadline.seconds}s deadline (\`${options.deadline.input}\`) passed; request ${request.requestId} may still finish`,
            };
    }
}
/** A grant that failed before the service answered its write (or before it was sent). */
function failedBeforeAnswer(error, known, assign) {
    if (error instanceof engine_deadline/* NotSentError */.SD) {
        return {
            ...known,
            status: 'IN_PROGRESS',
            failureReason: `${error.message}; nothing was written for this grant`,
        };
    }
    return {
        ...known,
        status: 'FAILED',
        failureReason: (0,errors/* describeError */.Uc)(error),
        ...(assign && (0,calls/* mayHaveBeenApplied */.Ho)(error)
            ? {
                note: 'the create was sent but its answer never came: it may have been applied. revoke-on-exit revokes it only if the service shows this step created it',
            }
            : {}),
    };
}
/**
 * The create, reporting its ownership as the service shows it: `unknown` while it is in flight,
 * then `accepted` / `created` when the service says so, `not-created` when it refused, answered
 * that the assignment was there already, or the request was never sent. A create whose answer
 * never came (a dead connection, the deadline) stays `unknown` for the post step to resolve.
 */
async function createTracked(grant, ids, driver, options) {
    options.onOwnership?.(grant, ids, 'unknown');
    try {
        const outcome = await driver.create(ids);
        if (outcome.kind === 'pending') {
            const { request } = outcome;
            options.onOwnership?.(grant, ids, request.createdOnAcceptance ? 'created' : 'accepted', request.requestId);
        }
        else if (outcome.kind === 'done' && outcome.changed) {
            options.onOwnership?.(grant, ids, 'created', outcome.requestId);
        }
        else {
            options.onOwnership?.(grant, ids, 'not-created');
        }
        return outcome;
    }
    catch (error) {
        options.onOwnership?.(grant, ids, (0,calls/* mayHaveBeenApplied */.Ho)(error) ? 'unknown' : 'not-created');
        throw error;
    }
}
function optionalRequestId(requestId) {
    return requestId ? { requestId } : {};
}

;// CONCATENATED MODULE: ./src/core/inert.ts
// Text from a server or the cloud's directory (failure reasons, error messages, names, request
// IDs) is data, never instructions. The runner reads every line a step prints and obeys the ones
// that start with `::` (`::add-mask::`, `::stop-commands::`, `::warning::` …), and the job summary
// is HTML. So every string that leaves the action passes through one of these two. Pure.
/**
 * Escapes text for one log line, annotation or output value: `%`, CR and LF as the runner's
 * command escaping writes them (`%25`, `%0D`, `%0A`), so the text can never begin a line of its
 * own; every other control, format (U+202E, U+200B …) or line-separator character as its UTF-8
 * percent escape, so nothing is hidden or reordered on screen.
 */
function inertText(text) {
    return text.replace(/[%\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (ch) => ch === '\t' ? ch : encodeURIComponent(ch).toUpperCase());
}
const HTML_ESCAPES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
};
/** For the job summary (HTML): markup in a server's text is shown, not rendered; then as `inertText`. */
function escapeHtml(text) {
    return inertText(text).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}
/**
 * JSON for a step output. JSON.stringify writes control characters as escapes already; format and
 * line-separator characters are escaped too, so the text is one inert line that parses to the
 * same value.
 */
function inertJson(value) {
    return JSON.stringify(value).replace(/[\p{Cf}\p{Zl}\p{Zp}]/gu, (ch) => Array.from({ length: ch.length }, (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
}
/** `inertText` applied to every string inside a JSON-like value. */
function inertDeep(value) {
    if (typeof value === 'string')
        return inertText(value);
    if (Array.isArray(value))
        return value.map(inertDeep);
    if (value && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [inertText(k), inertDeep(v)]));
    return value;
}

// EXTERNAL MODULE: ./src/github/workflow-commands.ts
var workflow_commands = __nccwpck_require__(5513);
;// CONCATENATED MODULE: ./src/github/log.ts
// The action's only way to write to the job log and annotations. Every message passes through
// `inertText`, because most carry text a server sent (failure reasons, error messages, request
// IDs) and a line break in it would let that text issue workflow commands (a log line is written raw).


const info = (message) => workflow_commands/* writeLine */._r(inertText(message));
const debug = (message) => workflow_commands/* issueCommand */.Lb('debug', inertText(message));
const warning = (message) => workflow_commands/* issueCommand */.Lb('warning', inertText(message));
const error = (message) => workflow_commands/* issueCommand */.Lb('error', inertText(message));
const startGroup = (title) => workflow_commands/* issueCommand */.Lb('group', inertText(title));
const endGroup = () => workflow_commands/* issueCommand */.Lb('endgroup', '');
/** An `::error::` annotation and a failed step. */
const setFailed = (message) => {
    process.exitCode = 1;
    error(message);
};
/** A step output; server text in it stays one inert line (workflows interpolate outputs into scripts). */
const setOutput = (name, value) => workflow_commands/* setOutput */.uH(name, inertText(value));
/** A JSON step output, already made inert by `inertJson`. */
const setJsonOutput = (name, json) => workflow_commands/* setOutput */.uH(name, json);

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
;// CONCATENATED MODULE: ./src/core/report.ts
// What the step reports: outputs, the per-grant results JSON, the job-summary rows. Pure.

const SEVERITY = { SUCCEEDED: 0, IN_PROGRESS: 1, FAILED: 2 };
/** `status` is the worst over all grants; the others come from the first grant that has one. */
function summariseResults(results) {
    const worst = results.reduce((w, r) => (SEVERITY[r.status] > SEVERITY[w] ? r.status : w), 'SUCCEEDED');
    return {
        status: worst,
        requestId: results.find((r) => r.requestId)?.requestId ?? '',
        failureReason: results.find((r) => r.failureReason && r.status !== 'SUCCEEDED')?.failureReason ?? '',
        changed: results.some((r) => r.changed),
        assignmentId: results.find((r) => r.assignmentId)?.assignmentId ?? '',
    };
}
/**
 * The `results` output: one object per grant, without internal fields. What a server sent
 * (request and assignment IDs, failure reasons, details) is made inert, as in every other output.
 */
function resultsJson(results) {
    return inertJson(results.map((r) => ({
        cloud: r.cloud,
        operation: r.operation,
        principal: r.principal,
        target: r.target,
        role: r.role,
        status: r.status,
        requestId: r.requestId === undefined ? null : inertText(r.requestId),
        failureReason: r.failureReason === undefined ? null : inertText(r.failureReason),
        alreadyExisted: r.alreadyExisted,
        changed: r.changed,
        plan: r.change,
        before: r.before,
        after: r.after,
        durationMs: r.durationMs,
        ...(r.assignmentId ? { assignmentId: inertText(r.assignmentId) } : {}),
        ...(r.detail ? { detail: inertDeep(r.detail) } : {}),
    })));
}
function formatDuration(ms) {
    return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
/** What happened to a grant, in words: `created`, `already assigned`, `would create` … */
function describeOutcome(r, dryRun) {
    if (r.status === 'FAILED')
        return 'failed';
    if (r.status === 'IN_PROGRESS')
        return 'in progress';
    if (dryRun && r.change !== 'none')
        return `would ${r.change}`;
    if (r.operation === 'provision')
        return r.changed ? 'provisioned' : 'already current';
    if (r.operation === 'assign')
        return r.changed ? 'created' : 'already assigned';
    return r.changed ? 'deleted' : 'already absent';
}
const SUMMARY_HEADER = [
    'Principal',
    'Target',
    'Role',
    'Before → after',
    'Status',
    'Request ID',
    'Time',
    'Note',
];
/** Provision: how many accounts were outdated, and what became of them. */
function provisionChange(r, dryRun) {
    const count = (key) => r.detail?.[key]?.length ?? 0;
    if (dryRun)
        return `${count('outdated')} outdated → would re-provision ${count('wouldProvision')}`;
    return `${count('outdated')} outdated → ${count('reprovisioned')} re-provisioned, ${count('failed')} failed, ${count('alreadyCurrent')} already current`;
}
/** The job summary's rows, every cell HTML-escaped: the summary is rendered as HTML. */
function summaryRows(results, dryRun) {
    return results.map((r) => [
        r.principal || '—',
        r.target,
        r.role,
        r.operation === 'provision'
            ? provisionChange(r, dryRun)
            : `${r.before} → ${r.after} (${describeOutcome(r, dryRun)})`,
        r.status === 'FAILED' && r.failureReason ? `FAILED: ${r.failureReason}` : r.status,
        r.requestId ?? '—',
        formatDuration(r.durationMs),
        r.note ?? '',
    ].map(escapeHtml));
}

;// CONCATENATED MODULE: ./src/github/report.ts
// Step outputs, log groups, annotations and the job summary. Everything goes through ./log.js or
// the escaping of core/report.ts: most of it carries text a server sent.





/** One collapsed group per grant, printed when the grant ends so concurrent grants do not interleave. */
function logGrant(result, dryRun) {
    const mark = result.status === 'SUCCEEDED' ? '✓' : result.status === 'FAILED' ? '✗' : '…';
    const who = result.principal ? `${result.principal} → ` : '';
    startGroup(`${mark} ${result.operation} ${who}${result.target} / ${result.role}: ${result.status} (${describeOutcome(result, dryRun)}, ${formatDuration(result.durationMs)})`);
    if (result.resolved?.principalId) {
        info(`principal ID: ${result.resolved.principalId || '—'}; target: ${result.resolved.targetId}; role: ${result.resolved.roleId}`);
    }
    if (result.operation !== 'provision')
        info(`before: ${result.before}; after: ${result.after}`);
    if (result.requestId)
        info(`request ID: ${result.requestId}`);
    if (result.assignmentId)
        info(`assignment ID: ${result.assignmentId}`);
    if (result.failureReason)
        info(`reason: ${result.failureReason}`);
    if (result.note)
        info(result.note);
    for (const [key, value] of Object.entries(result.detail ?? {}))
        info(`${key}: ${JSON.stringify(value)}`);
    endGroup();
}
function setStepOutputs(results) {
    const outputs = summariseResults(results);
    setOutput('status', outputs.status);
    setOutput('request-id', outputs.requestId);
    setOutput('failure-reason', outputs.failureReason);
    setOutput('changed', String(outputs.changed));
    setOutput('assignment-id', outputs.assignmentId);
    setJsonOutput('results', resultsJson(results));
}
function writeJobSummary(title, results, dryRun) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const counts = summariseResults(results);
    const cells = (tag, row) => row.map((cell) => `<${tag}>${cell}</${tag}>`).join('');
    const table = [cells('th', SUMMARY_HEADER), ...summaryRows(results, dryRun).map((row) => cells('td', row))];
    (0,workflow_commands/* appendJobSummary */.I1)([
        `<h3>${escapeHtml(title)}</h3>`,
        `${results.length} grant${results.length === 1 ? '' : 's'}, status ${counts.status}${dryRun ? ' (dry run: nothing was written)' : ''}`,
        `<table>${table.map((row) => `<tr>${row}</tr>`).join('')}</table>`,
        '',
    ].join(external_node_os_.EOL));
}
/** Annotations for what made the step fail, each naming its grant and cause. */
function annotateFailures(results, waited) {
    const failures = [];
    for (const r of results) {
        const grant = `${r.operation} ${r.principal ? `${r.principal} → ` : ''}${r.target} / ${r.role}`;
        if (r.status === 'FAILED')
            failures.push(`${grant} FAILED: ${r.failureReason ?? 'no reason given'}`);
        else if (r.status === 'IN_PROGRESS' && waited)
            failures.push(`${grant}: ${r.failureReason ?? 'still IN_PROGRESS at the deadline'}`);
    }
    for (const f of failures)
        error(f);
    return failures;
}
/** The end of every step: outputs, job summary, annotations, and the step's exit status. */
async function finish(results, options) {
    setStepOutputs(results);
    writeJobSummary(options.title, results, options.dryRun);
    const failures = annotateFailures(results, options.wait);
    if (failures.length > 0) {
        setFailed(`${failures.length} of ${results.length} grant${results.length === 1 ? '' : 's'} did not succeed`);
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
;// CONCATENATED MODULE: ./src/github/state-keys.ts
// The names the main step saves its state under; the runner hands them to the post step as
// `STATE_<name>` variables. A module of its own so that the post step's entry can read them
// without loading the rest of the action (see ../post.ts).
const HEADER_KEY = 'cloud-access';
const ENTRY_KEY_PREFIX = 'cloud-access-grant-';

;// CONCATENATED MODULE: ./src/github/state.ts
// What the main step leaves for the post step: the grants it created, by resolved ID, and nothing
// else. Never a credential or token: the post step authenticates afresh.
//
// The post step gets the job's environment with the step's own saved state laid over it, so a
// `STATE_*` name an earlier step wrote to GITHUB_ENV reaches it too. The state is therefore bound
// to the step that wrote it: the header carries a random nonce and the number of entry slots,
// every entry carries the nonce, and an entry that does not match, or whose IDs do not pass the
// patterns the inputs are held to, is ignored with a warning.
//
// Each grant is saved under a key of its own the moment its create is sent, so a step cancelled
// or killed mid-batch still leaves a complete record. An entry's slot is the grant's place in the
// step's own grant list, which the post step rebuilds from its inputs: the entry carries only what
// the inputs cannot give (resolved IDs, ownership, request ID), a few hundred bytes, so a batch of
// 1,000 stays far below Linux's limits (128 KiB for one variable, 2 MiB for the whole environment).





const VERSION = 2;
/** What the post step must sign in with to act on the main step's state. */
function signInOf(plan) {
    return plan.cloud === 'aws'
        ? ['aws', plan.region, plan.roleToAssume ?? 'ambient credentials'].join(' ')
        : [
            'azure',
            plan.clientId ?? 'ambient credential',
            plan.tenantId ?? '',
            plan.authorityHost,
            plan.resourceManagerEndpoint,
        ].join(' ');
}
function newNonce() {
    return (0,external_node_crypto_.randomBytes)(16).toString('hex');
}
function saveHeader(header) {
    (0,workflow_commands/* saveState */.LZ)(HEADER_KEY, JSON.stringify(header));
}
/**
 * The first thing the main step does, before any input is read or request sent: a header with no
 * entries. Whatever happens next, the post step sees this step's own header, never one an earlier
 * step planted in the job's environment.
 */
function claimState() {
    (0,workflow_commands/* saveState */.LZ)(HEADER_KEY, JSON.stringify({ version: VERSION, nonce: newNonce(), count: 0 }));
}
/** Records (or, with `undefined`, forgets) the grant in slot `index`. */
function saveGrant(index, entry) {
    (0,workflow_commands/* saveState */.LZ)(`${ENTRY_KEY_PREFIX}${index}`, entry ? JSON.stringify(entry) : '');
}
/**
 * The state this step's main step saved for `grants` (the step's own, from its inputs), or
 * undefined when there is none or its header is not one this version wrote for this cloud and
 * sign-in. `ignored` says what was dropped and why.
 */
function loadState(grants, expected, env = process.env) {
    const raw = env[`STATE_${HEADER_KEY}`];
    if (!raw)
        return undefined;
    const header = parseHeader(raw, expected);
    if (typeof header === 'string') {
        return {
            header: emptyHeader('', expected),
            created: [],
            ignored: [`the saved state header was ignored: ${header}`],
        };
    }
    if (header.count === 0)
        return { header, created: [], ignored: [] };
    if (header.count !== grants.length) {
        return {
            header,
            created: [],
            ignored: [
                `the saved state is for ${header.count} grants, but this step's inputs make ${grants.length}`,
            ],
        };
    }
    const ignored = [];
    const created = [];
    const prefix = `STATE_${ENTRY_KEY_PREFIX}`;
    const slots = Object.entries(env)
        .filter(([name, value]) => name.startsWith(prefix) && value)
        .map(([name, value]) => ({ name, slot: name.slice(prefix.length), value: value }));
    for (const { name, slot, value } of slots) {
        if (!/^(0|[1-9]\d{0,5})$/.test(slot) || Number(slot) >= header.count) {
            ignored.push(`${name}: not one of the ${header.count} entries the main step saved`);
            continue;
        }
        const entry = parseEntry(value, header, grants[Number(slot)], expected);
        if (typeof entry === 'string')
            ignored.push(`${name}: ${entry}`);
        else
            created[Number(slot)] = entry;
    }
    return { header, created: created.filter(Boolean), ignored };
}
function emptyHeader(nonce, expected) {
    return {
        version: VERSION,
        nonce,
        count: 0,
        cloud: expected.cloud,
        signIn: expected.signIn,
        leftAlone: 0,
    };
}
function parseHeader(raw, expected) {
    let h;
    try {
        h = JSON.parse(raw);
    }
    catch {
        return 'it is not JSON';
    }
    if (typeof h !== 'object' || h === null)
        return 'it is not an object';
    if (h.version !== VERSION)
        return `version ${String(h.version)} is not ${VERSION}`;
    if (typeof h.nonce !== 'string' || !/^[0-9a-f]{32}$/.test(h.nonce))
        return 'it has no valid nonce';
    if (!Number.isInteger(h.count) || h.count < 0 || h.count > 100_000)
        return 'its entry count is not valid';
    // The claim the main step saves first: no entries, nothing else to check.
    if (h.count === 0)
        return emptyHeader(h.nonce, expected);
    if (h.cloud !== expected.cloud)
        return `it was written for cloud \`${String(h.cloud)}\`, not \`${expected.cloud}\``;
    if (h.signIn !== expected.signIn)
        return "the main step signed in elsewhere or as another identity than this post step would (the Region, role, client, tenant or endpoint changed in the job's environment)";
    if (h.instanceArn !== undefined && (typeof h.instanceArn !== 'string' || !patterns/* INSTANCE_ARN */.iX.test(h.instanceArn)))
        return 'its instance ARN is not valid';
    return {
        version: VERSION,
        nonce: h.nonce,
        count: h.count,
        cloud: expected.cloud,
        signIn: expected.signIn,
        ...(h.instanceArn ? { instanceArn: h.instanceArn } : {}),
        leftAlone: Number.isInteger(h.leftAlone) ? h.leftAlone : 0,
    };
}
function parseEntry(raw, header, grant, expected) {
    let e;
    try {
        e = JSON.parse(raw);
    }
    catch {
        return 'not JSON';
    }
    if (typeof e !== 'object' || e === null)
        return 'not an object';
    if (e.nonce !== header.nonce)
        return 'not written by this step (its nonce does not match)';
    if (e.ownership !== 'created' && e.ownership !== 'accepted' && e.ownership !== 'unknown')
        return 'no valid ownership';
    if (typeof e.sentAt !== 'number' || !Number.isFinite(e.sentAt))
        return 'no send time';
    if (e.requestId !== undefined && (typeof e.requestId !== 'string' || !patterns/* REQUEST_ID */.A2.test(e.requestId)))
        return 'its request ID is not valid';
    if (e.ownership === 'accepted' && !e.requestId)
        return 'an accepted create without a request ID';
    if (typeof e.principalId !== 'string' || typeof e.roleId !== 'string')
        return 'no IDs';
    const ids = {
        principalId: e.principalId,
        targetId: grant.cloud === 'aws' ? grant.accountId : grant.scope.scope,
        roleId: e.roleId,
        ...(typeof e.name === 'string' ? { name: e.name } : {}),
    };
    // The header was checked to be for this step's cloud, which made these grants.
    const invalid = grant.cloud === 'aws' ? invalidAwsIds(ids, grant) : invalidAzureIds(ids, grant, expected);
    if (invalid)
        return invalid;
    return {
        grant,
        ids,
        ownership: e.ownership,
        ...(e.requestId ? { requestId: e.requestId } : {}),
        sentAt: e.sentAt,
    };
}
/** The saved IDs pass the input patterns, and agree with the grant wherever it names IDs itself. */
function invalidAwsIds(ids, grant) {
    if (!patterns/* IDENTITY_STORE_PRINCIPAL_ID */.op.test(ids.principalId))
        return 'its principal ID is not an Identity Store ID';
    if (grant.principal.kind === 'id' && grant.principal.id !== ids.principalId)
        return 'its principal ID is not the one the inputs name';
    if (!patterns/* ACCOUNT_ID */.W_.test(ids.targetId))
        return 'its target is not an account ID';
    if (!patterns/* PERMISSION_SET_ARN */.Ht.test(ids.roleId))
        return 'its role is not a permission set ARN';
    if (grant.permissionSet.kind === 'arn' && grant.permissionSet.arn !== ids.roleId)
        return 'its permission set is not the one the inputs name';
    if (ids.name !== undefined)
        return 'it has an Azure assignment name';
    return undefined;
}
function invalidAzureIds(ids, grant, expected) {
    if (!patterns/* GUID */.Sm.test(ids.principalId) || ids.principalId !== grant.principalId)
        return 'its principal ID is not the one the inputs name';
    const scope = (0,azure_scope/* parseAzureScope */.v9)(ids.targetId);
    if (typeof scope === 'string' || scope.scope !== ids.targetId)
        return 'its target is not a normalised Azure scope';
    if (!patterns/* ROLE_DEFINITION_ID */.r3.test(ids.roleId) || (0,azure_scope/* unsafePathReason */.m0)(ids.roleId))
        return 'its role is not a role definition ID';
    const roleGuid = (0,azure_scope/* roleGuidOf */.VA)(ids.roleId);
    const role = grant.role;
    if (role.kind === 'guid' && role.guid !== roleGuid)
        return 'its role is not the one the inputs name';
    if (role.kind === 'id' && role.id.toLowerCase() !== ids.roleId.toLowerCase())
        return 'its role is not the one the inputs name';
    if (!ids.name || !patterns/* GUID */.Sm.test(ids.name))
        return 'its assignment name is not a GUID';
    if (expected.assignmentName && expected.assignmentName(ids).toLowerCase() !== ids.name.toLowerCase())
        return 'its assignment name is not the one this step writes for the grant';
    return undefined;
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __nccwpck_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __nccwpck_require__(4708);
// EXTERNAL MODULE: ./src/core/token-claims.ts
var token_claims = __nccwpck_require__(8942);
// EXTERNAL MODULE: ./src/engine/network.ts
var network = __nccwpck_require__(300);
// EXTERNAL MODULE: ./src/engine/retry.ts + 1 modules
var retry = __nccwpck_require__(2197);
;// CONCATENATED MODULE: ./src/github/oidc.ts
// The GitHub OIDC token: requested fresh for every exchange, masked, never stored.
//
// The request is the one @actions/core's getIDToken makes (GET ACTIONS_ID_TOKEN_REQUEST_URL with
// `&audience=…`, `Authorization: Bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN`, answered `{"value":"<JWT>"}`),
// sent with Node's own client: the toolkit's would evaluate its whole HTTP stack (undici, for a
// proxy agent this request never uses) before the step's first request. Proxies go through Node's
// built-in support, as the AWS SDK's requests do; the engine's retry stands in for the toolkit's.









/** The most of an answer's body that is read: a token is a few KiB. */
const MAX_BODY_BYTES = 64 * 1024;
/** The token endpoint answered, but not with a token. */
class TokenEndpointError extends Error {
    status;
    constructor(message, 
    /** The HTTP status, when the answer was not a token. */
    status) {
        super(message);
        this.status = status;
        this.name = 'TokenEndpointError';
    }
}
/**
 * Requests a GitHub OIDC token for `audience`. The runner's token endpoint is retried on 5xx
 * and network errors inside the step's deadline; a job without `id-token: write` is told so.
 */
function githubOidcTokenSource(deadline, env = process.env) {
    return async (audience) => {
        const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
        const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
        if (!url || !bearer) {
            throw new errors/* CloudAccessError */.Ye('the job cannot request a GitHub OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set)', {
                fix: 'add `permissions: id-token: write` to the job or workflow. Pull requests from forks never get a token: do not grant access from them',
            });
        }
        const token = await (0,retry/* withRetry */.b)('GitHub OIDC token request', () => requestIdToken(tokenUrl(url, audience), bearer, env, Math.min(calls/* ATTEMPT_TIMEOUT_MS */.FR, deadline.remainingMs())), {
            deadline,
            classify: (error) => isServerError(error) || (0,network/* isNetworkError */.T)(error)
                ? { action: 'retry', kind: 'server' }
                : { action: 'fail', error: explainFailure(error, audience) },
        });
        (0,workflow_commands/* setSecret */.Pq)(token);
        const claims = (0,token_claims/* decodeClaims */.Y)(token);
        debug(`GitHub OIDC token claims: ${(0,token_claims/* describeClaims */.Z)(claims)} job_workflow_ref=${claims.job_workflow_ref ?? '?'}`);
        return token;
    };
}
/** The runner's URL with the audience, appended as @actions/core appends it (the URL has a query). */
function tokenUrl(url, audience) {
    return new URL(audience ? `${url}&audience=${encodeURIComponent(audience)}` : url);
}
/** The HTTP status of an answer that was not a token: the endpoint's, or a proxy's refusal of a tunnel. */
function statusOf(error) {
    if (error instanceof TokenEndpointError)
        return error.status;
    const { code, message } = (error ?? {});
    const proxied = code === 'ERR_PROXY_TUNNEL' && typeof message === 'string' && / (\d{3}) /.exec(message);
    return proxied ? Number(proxied[1]) : undefined;
}
/** 5xx from the endpoint, or from a proxy that could not reach it: worth another try. */
const isServerError = (error) => (statusOf(error) ?? 0) >= 500;
function explainFailure(error, audience) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
    const status = statusOf(error);
    const fix = status === 407
        ? 'the proxy (HTTPS_PROXY / HTTP_PROXY) wants credentials: put them in its URL, or list the host in NO_PROXY'
        : status === 401 || status === 403
            ? "check that the job has `permissions: id-token: write`, and that no earlier step replaced the runner's ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN (e.g. through GITHUB_ENV)"
            : status !== undefined
                ? 'check ACTIONS_ID_TOKEN_REQUEST_URL: it must be the URL the runner set for the job'
                : undefined;
    return new errors/* CloudAccessError */.Ye(`could not get a GitHub OIDC token for audience \`${audience}\`: ${message}`, {
        cause: error,
        ...(fix ? { fix } : {}),
    });
}
/**
 * Whether `host` is this machine. @actions/http-client never sends such a request through a proxy,
 * whatever NO_PROXY says, and neither does this one.
 */
function isLoopback(host) {
    const h = host.toLowerCase();
    return h === 'localhost' || h.startsWith('127.') || h === '[::1]' || h === '[0:0:0:0:0:0:0:1]';
}
/**
 * Node's agents with its built-in proxy support: HTTPS_PROXY / https_proxy for https URLs,
 * HTTP_PROXY / http_proxy for http ones (the lowercase name first, as @actions/http-client reads
 * them), NO_PROXY / no_proxy, and an empty environment for loopback hosts.
 */
function agentFor(url, env) {
    const proxyEnv = isLoopback(url.hostname) ? {} : env;
    return url.protocol === 'https:' ? new external_node_https_.Agent({ proxyEnv }) : new external_node_http_.Agent({ proxyEnv });
}
/** One GET to the token endpoint: the token, a TokenEndpointError for any other answer, or the network error. */
function requestIdToken(url, bearer, env, timeoutMs) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        return Promise.reject(new TokenEndpointError(`the token URL is not http(s): ${url.protocol}`, 0));
    const send = url.protocol === 'https:' ? external_node_https_.request : external_node_http_.request;
    return new Promise((resolve, reject) => {
        const request = send(url, {
            method: 'GET',
            agent: agentFor(url, env),
            headers: {
                Accept: 'application/json',
                Authorization: `Bearer ${bearer}`,
                'User-Agent': 'cloud-access',
            },
            signal: AbortSignal.timeout(Math.max(1, timeoutMs)),
        }, (response) => {
            readBody(response).then((body) => {
                const status = response.statusCode ?? 0;
                if (status !== 200) {
                    reject(new TokenEndpointError(`the token endpoint answered ${status}: ${body.slice(0, 500)}`, status));
                    return;
                }
                let value;
                try {
                    value = JSON.parse(body).value;
                }
                catch {
                    // Not JSON: said below, without the body (it may hold a token).
                }
                if (typeof value === 'string' && value)
                    resolve(value);
                else
                    reject(new TokenEndpointError('the token endpoint answered 200 without a token (`value`)', status));
            }, reject);
        });
        request.on('error', reject);
        request.end();
    });
}
function readBody(response) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        response.on('data', (chunk) => {
            size += chunk.length;
            if (size <= MAX_BODY_BYTES)
                chunks.push(chunk);
        });
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', reject);
    });
}

;// CONCATENATED MODULE: ./src/steps/session.ts



function adapterDeps(config, options) {
    const deadline = options.step === 'post'
        ? new engine_deadline/* Deadline */.B2(config.postTimeoutSeconds, Date.now, 'post-timeout-seconds')
        : new engine_deadline/* Deadline */.B2(config.timeoutSeconds);
    return {
        deadline,
        requestToken: githubOidcTokenSource(deadline),
        debug: debug,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.saved ? { saved: options.saved } : {}),
    };
}
async function openSession(config, options) {
    const deps = adapterDeps(config, options);
    if (config.cloud === 'aws') {
        const { createAwsDriver } = await Promise.all(/* import() */[__nccwpck_require__.e(488), __nccwpck_require__.e(90)]).then(__nccwpck_require__.bind(__nccwpck_require__, 7090));
        return { deadline: deps.deadline, driver: createAwsDriver(config, deps) };
    }
    const { createAzureDriver } = await Promise.all(/* import() */[__nccwpck_require__.e(291), __nccwpck_require__.e(636)]).then(__nccwpck_require__.bind(__nccwpck_require__, 1636));
    return { deadline: deps.deadline, driver: createAzureDriver(config, deps) };
}
/** `operation: provision` (AWS only): the provisioner, over the same kind of session. */
async function openProvisioningSession(config, request) {
    const deps = adapterDeps(config, { step: 'main' });
    const { createAwsProvisioner } = await Promise.all(/* import() */[__nccwpck_require__.e(488), __nccwpck_require__.e(90)]).then(__nccwpck_require__.bind(__nccwpck_require__, 7090));
    return createAwsProvisioner(config, request, deps);
}

;// CONCATENATED MODULE: ./src/steps/provision.ts




async function runProvision(config, request) {
    const { session, provisioner } = await openProvisioningSession(config, request);
    await session.prepare();
    const permissionSets = await provisioner.permissionSets();
    info(`${config.dryRun ? 'Dry run: planning' : 'Re-provisioning'} ${permissionSets.length} permission set(s) to ${config.onlyOutdated ? 'the accounts where they are outdated' : 'the accounts asked'}`);
    const results = await (0,limits/* mapWithConcurrency */.WS)(permissionSets, config.maxConcurrency, async (ps) => {
        const result = await provisioner.provision(ps);
        logGrant(result, config.dryRun);
        return result;
    });
    await finish(results, {
        title: `cloud-access: aws provision${config.dryRun ? ' (dry run)' : ''}`,
        dryRun: config.dryRun,
        wait: config.wait,
    });
    debug(`calls: ${JSON.stringify(session.stats)}`);
}

;// CONCATENATED MODULE: ./src/steps/record.ts

class CreatedGrantsRecord {
    config;
    header;
    slotOf;
    sentAt = new Map();
    /** What this step may have made: confirmed (`created`), or still to be resolved by the post step. */
    owned = new Map();
    constructor(config) {
        this.config = config;
        this.header = {
            version: 2,
            nonce: newNonce(),
            count: config.grants.length,
            cloud: config.cloud,
            signIn: signInOf(config),
            leftAlone: 0,
        };
        this.slotOf = new Map(config.grants.map((g, i) => [g, i]));
        // Saved before the first request: from here on only entries with this nonce count.
        this.save();
    }
    /** Grants created or in flight so far (for the message when the job is cancelled). */
    get ownedCount() {
        return this.owned.size;
    }
    /** What the driver hands over once signed in (AWS: the instance). */
    signedIn(handedOver) {
        if (handedOver?.instanceArn)
            this.header.instanceArn = handedOver.instanceArn;
        this.save();
    }
    /** The engine's `onOwnership`: the grant's entry, or none once the service says it is not ours. */
    record = (grant, ids, ownership, requestId) => {
        if (ownership === 'not-created')
            this.owned.delete(grant);
        else
            this.owned.set(grant, ownership);
        if (!this.config.revokeOnExit)
            return;
        if (!this.sentAt.has(grant))
            this.sentAt.set(grant, Date.now());
        saveGrant(this.slotOf.get(grant), ownership === 'not-created'
            ? undefined
            : {
                nonce: this.header.nonce,
                principalId: ids.principalId,
                roleId: ids.roleId,
                ...(ids.name ? { name: ids.name } : {}),
                ownership,
                ...(requestId ? { requestId } : {}),
                sentAt: this.sentAt.get(grant),
            });
    };
    /** The batch is over: the header counts what existed before; returns what the post step will do. */
    close(results) {
        this.header.leftAlone = results.filter((r) => r.operation === 'assign' && r.alreadyExisted).length;
        this.save();
        const confirmed = [...this.owned.values()].filter((o) => o === 'created').length;
        const unsure = this.owned.size - confirmed;
        return `revoke-on-exit: the post step will revoke the ${confirmed} grant(s) this step created${unsure > 0 ? `, and ${unsure} whose create has not ended or whose answer was lost, if the service shows this step created them` : ''}; the ${this.header.leftAlone} that existed before stay in place`;
    }
    save() {
        if (this.config.revokeOnExit)
            saveHeader(this.header);
    }
}

;// CONCATENATED MODULE: ./src/steps/main.ts
// The main step: read inputs, run every grant, report, and leave the post step its state.










async function runMainStep() {
    // Before anything else: the post step will see this step's header, never one planted earlier.
    claimState();
    let config;
    try {
        config = parseInputs((name) => (0,workflow_commands/* getInput */.V4)(name), process.env);
    }
    catch (problem) {
        reportInputErrors(problem);
        return;
    }
    try {
        if (config.operation === 'provision') {
            // Input validation refuses provision on Azure, and gives AWS provision its request.
            if (config.cloud === 'aws' && config.provision)
                await runProvision(config, config.provision);
            return;
        }
        await runAssignments(config);
    }
    catch (failure) {
        setOutput('status', 'FAILED');
        setOutput('failure-reason', (0,errors/* describeError */.Uc)(failure));
        setFailed((0,errors/* describeError */.Uc)(failure));
    }
}
function reportInputErrors(problem) {
    const problems = problem instanceof errors/* InputErrors */.G ? problem.problems.map((p) => p.describe()) : [(0,errors/* describeError */.Uc)(problem)];
    for (const p of problems)
        error(p);
    setFailed(`${problems.length} invalid input${problems.length === 1 ? '' : 's'}; nothing was requested from the cloud`);
}
async function runAssignments(config) {
    const record = new CreatedGrantsRecord(config);
    const cancel = new AbortController();
    const { deadline, driver } = await openSession(config, { step: 'main', signal: cancel.signal });
    const operation = config.operation === 'revoke' ? 'revoke' : 'assign';
    info(`${config.dryRun ? 'Dry run: planning' : 'Running'} ${config.grants.length} ${operation} grant${config.grants.length === 1 ? '' : 's'} on ${config.cloud}`);
    await driver.prepare();
    record.signedIn(driver.postState?.());
    const stopOnSignal = (signal) => {
        // The runner sends SIGINT, then SIGTERM, when the job is cancelled: the state saved so far
        // lets the post step revoke what this step created.
        warning(`received ${signal}: stopping; ${config.revokeOnExit ? `the post step will revoke what this step created (${record.ownedCount} grant(s) created or in flight)` : 'grants already made stay in place'}`);
        cancel.abort();
        process.exit(1);
    };
    process.once('SIGINT', stopOnSignal);
    process.once('SIGTERM', stopOnSignal);
    const results = await runGrants(config.grants, driver, {
        operation,
        dryRun: config.dryRun,
        wait: config.wait,
        maxConcurrency: config.maxConcurrency,
        deadline,
        signal: cancel.signal,
        onOwnership: record.record,
        onResult: (result) => {
            // Said where the grant is logged, and kept in the summary: the state keeps only what to revoke.
            if (config.revokeOnExit && result.operation === 'assign' && result.alreadyExisted && !config.dryRun)
                result.note ??= 'revoke-on-exit leaves it in place: it existed before this step';
            logGrant(result, config.dryRun);
        },
    });
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    if (config.revokeOnExit)
        info(record.close(results));
    await finish(results, {
        title: `cloud-access: ${config.cloud} ${operation}${config.dryRun ? ' (dry run)' : ''}`,
        dryRun: config.dryRun,
        wait: config.wait,
    });
    debug(`calls: ${JSON.stringify(driver.stats)}`);
}

// EXTERNAL MODULE: ./src/engine/ownership.ts
var ownership = __nccwpck_require__(4679);
;// CONCATENATED MODULE: ./src/steps/post.ts
// The post step (`post-if: always()`): revokes exactly the grants its own main step created, with
// a fresh OIDC token and a budget of its own, whether the job succeeded, failed or was cancelled.
//
// It trusts nothing it did not check: it acts only when this step's `revoke-on-exit` input is
// true, only on state entries bound to its main step (see github/state.ts) for grants its own
// inputs name, and only on grants the service confirms the main step created.











const describe = (g) => `${g.principal} → ${g.target} / ${g.role}`;
async function runPostStep() {
    try {
        let inputs;
        try {
            inputs = parseInputs((name) => (0,workflow_commands/* getInput */.V4)(name), process.env);
        }
        catch {
            info('revoke-on-exit: the inputs are not valid, so the main step requested nothing; nothing to revoke');
            return;
        }
        if (!inputs.revokeOnExit) {
            // Whatever `STATE_*` values the job's environment holds, they are not this step's to act on.
            info('revoke-on-exit is off for this step: the post step revokes nothing');
            return;
        }
        const state = loadState(inputs.grants, {
            cloud: inputs.cloud,
            signIn: signInOf(inputs),
            ...(inputs.cloud === 'azure'
                ? { assignmentName: (ids) => (0,azure_scope/* assignmentNameFor */.kS)(inputs.assignmentName, ids) }
                : {}),
        });
        for (const why of state?.ignored ?? [])
            warning(`revoke-on-exit: ignored saved state ${why}`);
        if (!state || state.header.count === 0) {
            info('revoke-on-exit: the main step saved no grants, so there is nothing to revoke');
            return;
        }
        if (state.header.leftAlone > 0) {
            info(`revoke-on-exit: leaving the ${state.header.leftAlone} grant(s) that existed before the main step in place; it only revokes what it created`);
        }
        // Entries are joined to this step's own grants by slot: they cannot name anything else.
        const created = state.created;
        if (created.length === 0) {
            info('revoke-on-exit: the main step created no grants, so there is nothing to revoke');
            return;
        }
        await revoke(inputs, created, state.header);
    }
    catch (failure) {
        setFailed(`revoke-on-exit: ${(0,errors/* describeError */.Uc)(failure)}`);
    }
}
async function revoke(inputs, created, header) {
    // The grants to revoke carry the IDs the main step saved: nothing is resolved by name again.
    const grants = created.map((entry) => ({ ...entry.grant, resolved: entry.ids }));
    const config = { ...inputs, operation: 'revoke', dryRun: false, wait: true, grants };
    info(`revoke-on-exit: revoking what the main step created (${created.length} grant(s) saved), with a fresh GitHub OIDC token and a ${config.postTimeoutSeconds}s budget`);
    // Its own budget: a tight `timeout-seconds` on the main step must not cut cleanup short.
    const { deadline, driver } = await openSession(config, {
        step: 'post',
        ...(header.instanceArn ? { saved: { instanceArn: header.instanceArn } } : {}),
    });
    await driver.prepare();
    // First: is each grant this step's? Each is settled on its own; one failed read fails only its grant.
    const bound = { deadline };
    const verdicts = await (0,limits/* mapWithConcurrency */.WS)(created, config.maxConcurrency, (entry) => (0,ownership/* confirmOwnership */.O)(entry, driver, bound), {
        bound,
        result: () => ({
            ours: false,
            status: 'IN_PROGRESS',
            reason: `not revoked: the ${deadline.seconds}s post-step deadline (\`post-timeout-seconds\`) passed before its turn`,
        }),
    });
    const ours = grants.filter((_, i) => verdicts[i].ours);
    const revoked = await runGrants(ours, driver, {
        operation: 'revoke',
        dryRun: false,
        wait: true,
        maxConcurrency: config.maxConcurrency,
        deadline,
        // A create this step made moments before may not show in reads yet; deleting what is absent changes nothing.
        deleteWhenAbsent: true,
        onResult: (result) => logGrant(result, false),
    });
    const revokedBy = new Map(revoked.map((r, i) => [ours[i], r]));
    const results = grants.map((grant, i) => {
        const done = revokedBy.get(grant);
        if (done)
            return done;
        const verdict = verdicts[i];
        // A grant left in place gets a warning; one not revoked for a failure gets its error from finish().
        if (verdict.leftInPlace)
            warning(`revoke-on-exit: ${describe(grant.written)}: ${verdict.reason}`);
        const result = notRevoked(config.cloud, grant, created[i], verdict);
        logGrant(result, false);
        return result;
    });
    for (const r of results) {
        if (r.changed) {
            warning(`revoke-on-exit removed ${describe(r)}. Another run that started while it existed may have found it in place and still rely on it; put jobs that share a grant in one \`concurrency:\` group`);
        }
    }
    await finish(results, { title: `cloud-access: ${config.cloud} revoke on exit`, dryRun: false, wait: true });
}
/** A saved grant the post step did not revoke, and why (`verdict`). */
function notRevoked(cloud, grant, entry, verdict) {
    return {
        cloud,
        operation: 'revoke',
        ...grant.written,
        resolved: entry.ids,
        status: verdict.status,
        alreadyExisted: false,
        changed: false,
        before: 'unknown',
        after: 'unknown',
        change: 'none',
        durationMs: 0,
        ...(verdict.status === 'SUCCEEDED' ? { note: verdict.reason } : { failureReason: verdict.reason }),
    };
}

;// CONCATENATED MODULE: ./src/index.ts
// The action: both steps, in the one bundle that the main and post entries (main.ts, post.ts)
// load, so that they share its code and its chunks (each cloud's SDK, loaded with import()).



var __webpack_exports__runMainStep = __webpack_exports__.X;
var __webpack_exports__runPostStep = __webpack_exports__.U;
export { __webpack_exports__runMainStep as runMainStep, __webpack_exports__runPostStep as runPostStep };
