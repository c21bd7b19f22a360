// Every call of the control API under /_emulator/ on the GitHub endpoint, with its body spelled out
// and an example that works on the emulator `npm run emulator` starts: what `--help` prints, what a
// route's 400 repeats, and what __tests__/emulator/control-calls.test.ts sends to prove each one.
import { SEED } from './azure/tenant/state.js';
import { PIM_CONTROL_CALLS } from './control-calls-pim.js';

export interface ControlCall {
  /** `POST /_emulator/aws/outdated` */
  route: string;
  what: string;
  /** The body's members (`"name"?` when optional); absent for a call without a body. */
  body?: string;
  /** Bodies to send as they are (several when the body takes several forms). */
  examples?: Record<string, unknown>[];
}

const ACCOUNT_ASSIGNMENT =
  '"accountId": 12 digits, "permissionSet": NAME|ARN, "principalType"?: "USER"|"GROUP" (default USER), "principal": USER_NAME|GROUP_NAME|ID';
const RUN =
  '"runId": DIGITS, "attempt"?: DIGITS (default "1"), "repository"?: "OWNER/REPO" (default octo-org/octo-repo), "repositoryId"?: DIGITS (default 123456789), "conclusion"?: "success"|"failure"|"cancelled"|… (default success)';

const WRITE_AS = `{${ACCOUNT_ASSIGNMENT}, "caller": {"principalArn": "arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION"|"arn:aws:iam::ACCOUNT:user/NAME", "sessionName"?: SESSION (the ARN's), "webIdentity"?: true|false}, "at"?: EPOCH_MS|ISO_TIME}`;

export const CONTROL_CALLS: readonly ControlCall[] = [
  { route: 'GET /_emulator/state', what: 'assignments, permission sets, runs, CloudTrail, faults, config …' },
  { route: 'GET /_emulator/requests', what: 'every request served, in order' },
  {
    route: 'GET /_emulator/aws/s3/objects',
    what: "the objects in the emulator's S3, each JSON body parsed: `audit-log`'s records (?bucket=NAME, default every bucket; ?prefix=KEY_PREFIX). npm run emulator seeds the bucket cloud-access-audit",
  },
  {
    route: 'GET /_emulator/aws/permission-sets',
    what: "each permission set with its tags, its inline policy's statements parsed and the accounts it is provisioned to (?name=NAME|ARN: that set only): a session fence a revoke put, an expired one taken out. npm run emulator seeds BreakGlassAccess, opted in to them (the aws-end-sessions local mode)",
  },
  {
    route: 'POST /_emulator/faults',
    what: 'merged into aws.faults; "github" into the OIDC endpoint\'s, "azure" into azure.faults (emulator/*/config.ts name them all)',
    body: '{AWS_FAULT: value, …, "github"?: {"serverErrors": N}, "azure"?: {AZURE_FAULT: value, …}}',
    examples: [
      { throttleRate: 0.3, accessDenied: ['CreateAccountAssignment'], azure: { throttleRate: 0.3 } },
      {
        failRequests: [
          { operation: 'CreateAccountAssignment', status: 400, code: 'ValidationException', message: 'no' },
        ],
      },
    ],
  },
  {
    route: 'POST /_emulator/config',
    what: 'merged into aws.config; "azure" into azure.config',
    body: '{AWS_SETTING: value, …, "azure"?: {AZURE_SETTING: value, …}}',
    examples: [{ writeDelayMs: 2000, cloudTrailDelayMs: 900_000, azure: { pimLicense: false } }],
  },
  {
    route: 'POST /_emulator/complete-held-requests',
    what: 'AWS requests held by a long write delay complete now (?withinMs=N: within N ms)',
  },
  {
    route: 'POST /_emulator/aws/outdated',
    what: 'a permission set edited since it was provisioned, for `operation: provision`',
    body: '{"permissionSet": NAME|ARN, "accounts"?: [12 digits, …] (default every account where it is provisioned)}',
    examples: [{ permissionSet: 'ViewOnlyAccess', accounts: ['333333333333'] }],
  },
  {
    route: 'POST /_emulator/aws/customer-managed-policies',
    what: 'accounts that hold a customer-managed policy: a permission set referencing one (or bounded by one) fails to provision where it is missing',
    body: '{"accounts": [12 digits, …], "name": POLICY_NAME, "path"?: "/PATH/" (default /)}',
    examples: [{ accounts: ['111111111111', '222222222222'], name: 'deny-secrets' }],
  },
  {
    route: 'POST /_emulator/aws/organization',
    what: 'replaces the organization, as --org',
    body: '{"specs": ["OU_PATH=ACCOUNT[:STATUS],…", …]}',
    examples: [
      { specs: ['Root=123456789012', 'Workloads/Prod=111111111111,222222222222:SUSPENDED', 'Sandbox'] },
    ],
  },
  {
    route: 'POST /_emulator/aws/cloudtrail-events',
    what: 'an event in CloudTrail, as LookupEvents shows it',
    body: '{"eventName": NAME, "principalArn": ARN, "at"?: EPOCH_MS|ISO_TIME (default now), "requestParameters"?: {MEMBER: value, …}, "sessionName"?: SESSION, "userIdentity"?: {"type": …, "arn": …}, …any CloudTrailEvent member}',
    examples: [
      {
        eventName: 'CreateAccountAssignment',
        principalArn: 'arn:aws:iam::123456789012:user/admin',
        at: '2025-01-01T10:00:00Z',
        requestParameters: { InstanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef' },
      },
    ],
  },
  {
    route: 'POST /_emulator/aws/portal-sign-in',
    what: "a person signs in to an account with a permission set through the AWS access portal: the role's credentials when they hold it (directly or through a group), and CloudTrail's GetRoleCredentials record either way (a refusal with errorCode ForbiddenException)",
    body: '{"user": USER_NAME|USER_ID, "accountId": 12 digits, "permissionSet": NAME|ARN, "at"?: EPOCH_MS|ISO_TIME (default now)}',
    examples: [{ user: 'alice', accountId: '111111111111', permissionSet: 'ReadOnlyAccess' }],
  },
  {
    route: 'POST /_emulator/aws/role-credentials-events',
    what: 'a GetRoleCredentials record staged as AWS writes it (or a look-alike): the current format (userIdentity.onBehalfOf.userId) or the older one (userIdentity.userName), of this or another instance',
    body: '{"userId"?: USER_ID, "userName"?: USER_NAME, "accountId": 12 digits, "roleName": PERMISSION_SET_NAME, "at"?: EPOCH_MS|ISO_TIME, "format"?: "current"|"older", "identityStoreArn"?: ARN (default this instance\'s), "errorCode"?: CODE, "errorMessage"?: TEXT, "eventSource"?: SOURCE, "eventName"?: NAME, "awsRegion"?: REGION}',
    examples: [
      {
        userName: 'bob',
        accountId: '111111111111',
        roleName: 'ReadOnlyAccess',
        format: 'older',
        at: '2025-01-01T10:00:00Z',
      },
    ],
  },
  {
    route: 'POST /_emulator/aws/create-assignment-as',
    what: "another identity's CreateAccountAssignment: the assignment, its SUCCEEDED request and its CloudTrail event",
    body: WRITE_AS,
    examples: [
      {
        accountId: '111111111111',
        permissionSet: 'ReadOnlyAccess',
        principalType: 'USER',
        principal: 'bob',
        caller: { principalArn: 'arn:aws:iam::123456789012:user/admin' },
        at: '2025-01-01T10:00:00Z',
      },
      // The aws-end-sessions local mode's: the set stays in 111111111111 after alice's revoke.
      {
        accountId: '111111111111',
        permissionSet: 'BreakGlassAccess',
        principal: 'carol',
        caller: { principalArn: 'arn:aws:iam::123456789012:user/admin' },
      },
    ],
  },
  {
    route: 'POST /_emulator/aws/delete-assignment-as',
    what: "another identity's DeleteAccountAssignment (FAILED when there is none)",
    body: WRITE_AS,
    examples: [
      {
        accountId: '111111111111',
        permissionSet: 'ReadOnlyAccess',
        principal: 'bob',
        caller: { principalArn: 'arn:aws:iam::123456789012:user/admin' },
      },
    ],
  },
  {
    route: 'POST /_emulator/aws/orphaned-grant',
    what: "a finished run's ephemeral grant whose post step never ran, in one call: the assignment created by a `cloud-access-<repositoryId>-<runId>-<attempt>-e` session of the role (CloudTrail's claim) and the run completed; `operation: sweep` with `dry-run: true` then lists it as `would revoke`",
    body: `{${ACCOUNT_ASSIGNMENT}, ${RUN}, "role"?: NAME|ARN of a role the emulator trusts (default cloud-access: the sweep's own, its default created-by), "at"?: EPOCH_MS|ISO_TIME (default now)}`,
    examples: [
      { accountId: '222222222222', permissionSet: 'ReadOnlyAccess', principal: 'carol', runId: '701' },
    ],
  },
  {
    route: 'POST /_emulator/azure/orphaned-grant',
    what: "the same on Azure: the role assignment with the run's `:e` marker in its description, created by the action's service principal (the sweep's default created-by), and the run completed",
    body: `{"scope": "/subscriptions/…"|"/providers/Microsoft.Management/managementGroups/…", "role": NAME|GUID, "principal": OBJECT_ID|UPN|GROUP_NAME|SERVICE_PRINCIPAL_NAME, ${RUN}, "description"?: TEXT}`,
    examples: [
      {
        scope: `/subscriptions/${SEED.subscriptionId}/resourceGroups/rg-app`,
        role: 'Reader',
        principal: 'alice@contoso.com',
        runId: '801',
      },
    ],
  },
  {
    route: 'POST /_emulator/github/access-request',
    what: "an approved `operation: request` in one call (the `aws-request` and `azure-request` local modes): the access policy at the default branch's head (rule `prod-read`: alice may ask for ReadOnlyAccess in 111111111111; rule `prod-reader`: Reader on rg-app; carol approves; bob is in `people` but no rule's `who`), environment `production-access` protected as the step requires, the run in progress with carol's approval, and the OIDC token's claims of alice's `workflow_dispatch` on main. To see the step refuse: another event or branch, bob as the requester, or no approval",
    body: '{"runId"?: DIGITS (default 1234567890, the local modes\' GITHUB_RUN_ID), "approved"?: true|false (default true; false: no approval), "requester"?: "alice"|"bob" (default alice; bob: the policy names him in no rule), "event"?: EVENT (default workflow_dispatch; another: refused), "ref"?: REF (default refs/heads/main; another branch: refused)}',
    examples: [
      {},
      { event: 'push' },
      { ref: 'refs/heads/feature' },
      { requester: 'bob' },
      { approved: false },
    ],
  },
  {
    route: 'POST /_emulator/github/access-review',
    what: "`operation: review` (the `aws-review` local mode): the reviewers file at the default branch's head (.github/access-reviewers.yml: alice reviews every row, due 14d), alice's account and a grant to review (bob's ReadOnlyAccess in 111111111111); after a run opened the campaign's issue, alice's decision posted on it as a comment, and the campaign made due (its issue opened 15 days ago), for the next run to close it. Answers the campaign's open issues with their row IDs",
    body: '{"comment"?: "/revoke ROW_ID… REASON"|"/keep ROW_ID…|all" (alice\'s comment on the open issue), "due"?: true (the open issue opened 15 days ago)}',
    examples: [{}],
  },
  {
    route: 'POST /_emulator/azure/resource-groups',
    what: 'a resource group: ARM refuses a role assignment in one that does not exist (404 ResourceGroupNotFound), as Azure does; answered with its scope. Seeded: rg-app (and rg-identities by npm run emulator)',
    body: '{"name": NAME, "subscriptionId"?: GUID (default the seeded subscription)}',
    examples: [{ name: 'rg-mine' }],
  },
  {
    route: 'POST /_emulator/azure/principals',
    what: 'an Entra principal role assignments can name, answered with its object ID',
    body: '{"type": "User"|"Group"|"ServicePrincipal"|"ForeignGroup"|"Device", "id"?: OBJECT_ID}',
    examples: [{ type: 'Group' }],
  },
  {
    route: 'POST /_emulator/azure/directory',
    what: 'a Microsoft Graph directory object: a principal the action can name',
    body: 'one of {"user": {"userPrincipalName": UPN, "displayName"?}}, {"user": {"mail": MAIL, "guest": true, "displayName"?}}, {"group": {"displayName": NAME, "kind"?: "Security"|"Microsoft365"|"MailEnabledSecurity"|"Distribution"}}, {"application": {"displayName": NAME, "appId"?}}, {"managedIdentity": {"name": NAME, "resourceGroup"?}}',
    examples: [
      { user: { userPrincipalName: 'dana@contoso.com', displayName: 'Dana' } },
      { user: { mail: 'erin@fabrikam.com', guest: true } },
      { group: { displayName: 'ops', kind: 'Microsoft365' } },
      { application: { displayName: 'release-bot' } },
      { managedIdentity: { name: 'id-release', resourceGroup: 'rg-identities' } },
    ],
  },
  ...PIM_CONTROL_CALLS,
  {
    route: 'POST /_emulator/aws/group-members',
    what: 'users made members of an Identity Store group (ListGroupMemberships lists them), or with "remove" no longer members: what `operation: report` with `expand-groups: true` shows; with a "caller", each change is its Create/DeleteGroupMembership in CloudTrail at "at" (a change by others a snapshot\'s delta must see)',
    body: '{"group": GROUP_NAME|GROUP_ID, "members": [USER_NAME|USER_ID, …], "remove"?: true, "caller"?: {"principalArn": ARN, "sessionName"?: SESSION}, "at"?: EPOCH_MS|ISO_TIME}',
    examples: [
      { group: 'Deployers', members: ['alice', 'bob'] },
      {
        group: 'Deployers',
        members: ['bob'],
        remove: true,
        caller: { principalArn: 'arn:aws:iam::123456789012:user/admin' },
        at: '2025-01-01T10:00:00Z',
      },
    ],
  },
  {
    route: 'POST /_emulator/azure/group-members',
    what: "directory objects made direct members of an Entra group (Microsoft Graph's transitiveMembers lists them, nested groups followed): what `operation: report` with `expand-groups: true` shows",
    body: '{"group": OBJECT_ID|GROUP_NAME, "members": [OBJECT_ID|UPN|MAIL|GROUP_NAME|SERVICE_PRINCIPAL_NAME, …]}',
    examples: [{ group: 'app-readers', members: ['alice@contoso.com', 'Auditors'] }],
  },
  {
    route: 'POST /_emulator/github/runs',
    what: 'a workflow run attempt, as the REST API answers it',
    body: '{"repository": "OWNER/REPO", "repositoryId"?: DIGITS, "runId": DIGITS, "attempt"?: DIGITS, "status": "queued"|"in_progress"|"completed"|…, "conclusion"?: "success"|"failure"|…, "name"?, "event"?, "headBranch"?}',
    examples: [
      {
        repository: 'octo-org/octo-repo',
        repositoryId: '123456789',
        runId: '702',
        attempt: '1',
        status: 'completed',
        conclusion: 'failure',
      },
    ],
  },
  {
    route: 'POST /_emulator/github/tokens',
    what: 'a token that reads these repositories (answered; made up when not given)',
    body: '{"token"?: TOKEN, "repositories": ["OWNER/REPO", …], "rateLimit"?: N}',
    examples: [{ token: 'ghs_app', repositories: ['octo-org/octo-repo', 'other-org/other-repo'] }],
  },
  {
    route: 'POST /_emulator/github/rate-limit',
    what: "GitHub's rate limits",
    body: '{"rateLimit"?: REQUESTS_AN_HOUR_PER_TOKEN, "secondaryRateLimit"?: N (the next N requests answer 429)}',
    examples: [{ rateLimit: 1000, secondaryRateLimit: 0 }],
  },
  {
    route: 'POST /_emulator/reset',
    what: 'back to the base seed (without what `npm run emulator` adds at start)',
  },
];

/** A call's body, for its route's 400 answer. */
export function bodyOf(route: string): string {
  return CONTROL_CALLS.find((c) => c.route === route)?.body ?? '{}';
}

/** The calls for --help: each route, what it does, its body and an example. */
export function describeControlCalls(): string[] {
  return CONTROL_CALLS.flatMap((c) => [
    `  ${c.route}: ${c.what}`,
    ...(c.body ? [`      body: ${c.body}`] : []),
    ...(c.examples ?? []).map((e) => `      e.g. ${JSON.stringify(e)}`),
  ]);
}
