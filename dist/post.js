import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 451:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Yz: () => (/* binding */ debug)
});

// UNUSED EXPORTS: endGroup, error, info, setFailed, setJsonOutput, setOutput, startGroup, warning

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
function inert_inertText(text) {
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
    return inert_inertText(text).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
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
        return inert_inertText(value);
    if (Array.isArray(value))
        return value.map(inertDeep);
    if (value && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [inert_inertText(k), inertDeep(v)]));
    return value;
}

// EXTERNAL MODULE: ./src/github/workflow-commands.ts + 2 modules
var workflow_commands = __nccwpck_require__(703);
;// CONCATENATED MODULE: ./src/github/log.ts
// The action's only way to write to the job log and annotations. Every message passes through
// `inertText`, because most carry text a server sent (failure reasons, error messages, request
// IDs) and a line break in it would let that text issue workflow commands (a log line is written raw).


const info = (message) => commands.writeLine(inertText(message));
const debug = (message) => workflow_commands/* issueCommand */.Lb('debug', inert_inertText(message));
const warning = (message) => commands.issueCommand('warning', inertText(message));
const error = (message) => commands.issueCommand('error', inertText(message));
const startGroup = (title) => commands.issueCommand('group', inertText(title));
const endGroup = () => commands.issueCommand('endgroup', '');
/** An `::error::` annotation and a failed step. */
const setFailed = (message) => {
    process.exitCode = 1;
    error(message);
};
/** A step output; server text in it stays one inert line (workflows interpolate outputs into scripts). */
const setOutput = (name, value) => commands.setOutput(name, inertText(value));
/** A JSON step output, already made inert by `inertJson`. */
const setJsonOutput = (name, json) => commands.setOutput(name, json);


/***/ }),

/***/ 703:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  V4: () => (/* binding */ getInput),
  Lb: () => (/* binding */ issueCommand)
});

// UNUSED EXPORTS: appendJobSummary, saveState, setOutput, setSecret, writeLine

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/github/workflow-commands.ts
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
    process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${external_node_os_namespaceObject.EOL}`);
}
/** A plain log line (written as is: ./log.ts makes server text inert first). */
function writeLine(text) {
    process.stdout.write(`${text}${EOL}`);
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
            process.stdout.write(EOL);
        issueCommand(file === 'OUTPUT' ? 'set-output' : 'save-state', value, { name });
        return;
    }
    if (!existsSync(path))
        throw new Error(`Missing file at path: ${path}`);
    // Web Crypto's, not node:crypto's: loading that module would be most of what the post step's
    // entry costs when it has nothing to do.
    const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
    if (name.includes(delimiter) || value.includes(delimiter))
        throw new Error(`Unexpected input: the ${file.toLowerCase()} contains the delimiter "${delimiter}"`);
    appendFileSync(path, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
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
        appendFileSync(path, html, 'utf8');
}


/***/ }),

/***/ 661:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _github_log_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(451);
/* harmony import */ var _steps_post_gate_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(117);
// The post step's entry (action.yml `runs.post`). It runs in every job that uses the action, and
// most have nothing to revoke: that is decided from the environment first, and said in one debug
// line. Only a post step that may have work loads the action (./index.ts, the bundle the main
// step's entry loads too: scripts/package.mjs builds it beside this file, not into it).


const nothing = (0,_steps_post_gate_js__WEBPACK_IMPORTED_MODULE_1__/* .nothingToRevoke */ .D)(process.env);
if (nothing) {
    (0,_github_log_js__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz)(nothing);
}
else {
    const { runPostStep } = await import(/* webpackIgnore: true */ './index.js');
    await runPostStep();
    // As in the main step: nothing abandoned at the deadline may keep the job waiting.
    process.exit();
}

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 117:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  D: () => (/* binding */ nothingToRevoke)
});

;// CONCATENATED MODULE: ./src/core/patterns.ts
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

;// CONCATENATED MODULE: ./src/github/state-keys.ts
// The names the main step saves its state under; the runner hands them to the post step as
// `STATE_<name>` variables. A module of its own so that the post step's entry can read them
// without loading the rest of the action (see ../post.ts).
const HEADER_KEY = 'cloud-access';
const ENTRY_KEY_PREFIX = 'cloud-access-grant-';

// EXTERNAL MODULE: ./src/github/workflow-commands.ts + 2 modules
var workflow_commands = __nccwpck_require__(703);
;// CONCATENATED MODULE: ./src/steps/post-gate.ts
// Whether the post step has anything to do, decided from its environment alone: it runs in every
// job that uses the action, and most have nothing to revoke, so its entry (../post.ts) asks this
// before it loads the action at all.



/**
 * Why the post step has nothing to revoke, or undefined when it may have. It can revoke only
 * what its `revoke-on-exit` input (read as the input parser reads it) allows and a saved grant
 * entry names: without both there is nothing to check, whatever else the environment holds. With
 * both, the post step itself checks each entry (github/state.ts).
 */
function nothingToRevoke(env) {
    if (!TRUE_INPUT.test((0,workflow_commands/* getInput */.V4)('revoke-on-exit', env)))
        return 'revoke-on-exit is off for this step: the post step revokes nothing';
    const entry = `STATE_${ENTRY_KEY_PREFIX}`;
    if (!Object.entries(env).some(([name, value]) => name.startsWith(entry) && value))
        return 'revoke-on-exit: the main step saved no grants, so there is nothing to revoke';
    return undefined;
}


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
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
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
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(661);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
