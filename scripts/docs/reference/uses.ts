// What action.yml cannot say in a form a program reads: what an input left empty means when its
// default is computed, and the values it accepts. action.yml stays the source of names, defaults
// and descriptions, and src/core/inputs/operation-inputs.ts of which operations and clouds read
// each input and set each output; this table the source of the rest, and
// __tests__/docs/reference.test.ts checks it against src/core/inputs (the edges of each range, the
// inputs refused on other operations). An input or output in action.yml without an entry here
// fails the reference.
import { AUDIT_LOG_USE } from './audit-log-use.js';
import type { InputUse, OutputUse } from './use.js';

const BOOLEAN = '`true` or `false`';
const SECONDS = (max: number) => `a whole number of seconds, 1 to ${max}`;

export const INPUT_USES: Record<string, InputUse> = {
  cloud: { accepts: '`aws`, `azure`' },
  operation: {
    accepts: '`assign`, `revoke`, `provision` (AWS), `reconcile`, `sweep`, `report`, `request`, `review`',
  },
  principal: {
    accepts: 'a list',
    more: 'azure-setup.md#azure-principals-by-name',
  },
  'principal-type': {
    accepts:
      'AWS: `USER`, `GROUP`; Azure: `User`, `Group`, `ServicePrincipal`, `ForeignGroup`, `Device` (any case)',
  },
  target: {
    accepts:
      'a list; Azure `assign` and `revoke`: scopes, or `group:<display name or object ID>` (memberships of Entra groups); `sweep`: Azure only (the scopes swept); `report`: what is read (AWS accounts and OUs, every account when empty; Azure scopes, required)',
    more: 'aws-setup.md#every-account-under-an-organizational-unit',
  },
  role: {
    accepts:
      'a list; with `target: group:…`: `member` or `owner`; `report`: the permission sets or roles kept (every one when empty)',
  },
  wait: { accepts: BOOLEAN },
  'timeout-seconds': {
    note: 'No request starts after it, however many grants are queued.',
    accepts: SECONDS(21600),
    edges: [{ cloud: 'aws', operation: 'assign', accepts: ['1', '21600'], refuses: ['0', '21601', '1.5'] }],
  },
  'revoke-on-exit': {
    note: 'Read again by the post step: `false` there, with grants saved, fails the post step. Proof of what was created: SECURITY.md.',
    accepts: BOOLEAN,
    refusedElsewhere: true,
    more: 'ephemeral-access.md',
  },
  'audit-log': AUDIT_LOG_USE,
  'post-timeout-seconds': {
    accepts: SECONDS(21600),
    edges: [{ cloud: 'azure', operation: 'assign', accepts: ['1', '21600'], refuses: ['0', '21601'] }],
  },
  duration: {
    whenEmpty: 'a permanent grant',
    accepts:
      'Azure: 5 minutes to a year; AWS: 5 minutes to 35 days (`assign` only: the longest a GitHub run lasts)',
    edges: [
      { cloud: 'azure', operation: 'assign', accepts: ['5m', 'P365D'], refuses: ['4m', 'P366D', 'soon'] },
      { cloud: 'aws', operation: 'assign', accepts: ['5m', '35d'], refuses: ['4m', '36d'] },
    ],
    more: 'azure-setup.md#time-bound-access-that-azure-ends-itself-duration',
  },
  'assignment-type': {
    note: "With `eligible`, each request is named after the repository and the grant, and an eligibility is this repository's when its schedule names such a request: one made or changed outside (the portal) is never removed.",
    whenEmpty: '`active`: the role is assigned',
    accepts:
      '`active` or `eligible` (Azure PIM eligibility: `duration` is its length; `revoke-on-exit` needs `duration`)',
    edges: [{ cloud: 'azure', operation: 'revoke', accepts: ['active', 'eligible'], refuses: ['permanent'] }],
    more: 'azure-setup.md#eligibility-who-may-activate-a-role-assignment-type-eligible',
  },
  'pim-onboard': {
    note: 'A group PIM for groups does not manage yet is onboarded by its first PIM request, for good: the plan and the log say so.',
    whenEmpty: '`false`: such a group is refused before any write',
    accepts: BOOLEAN,
    more: 'azure-setup.md#group-membership-through-pim-for-groups',
  },
  'dry-run': {
    accepts: BOOLEAN,
    note: "With `duration`, the plan shows the end time and the PIM policy's maximum.",
  },
  'max-concurrency': {
    note: "Left empty: 15 on AWS (IAM Identity Center's outstanding creates), 30 on Azure (enough to keep ARM's write bucket busy).",
    whenEmpty: 'what the service allows: `15` on AWS, `30` on Azure',
    accepts: 'a whole number, 1 to 100',
    edges: [{ cloud: 'aws', operation: 'assign', accepts: ['1', '100'], refuses: ['0', '101'] }],
  },
  audience: {
    whenEmpty: '`sts.amazonaws.com` (AWS), `api://AzureADTokenExchange` (Azure)',
  },
  'aws-region': { whenEmpty: 'env `AWS_REGION`' },
  'role-to-assume': {
    whenEmpty: 'the ambient AWS credential chain',
    more: '../examples/setup/README.md',
  },
  'role-session-name': {
    whenEmpty: '`cloud-access-<repository id>-<run id>-<run attempt>`, `-e…` when ephemeral',
    accepts: '2 to 64 characters of letters, digits and `+=,.@_-`',
    edges: [
      {
        cloud: 'aws',
        operation: 'assign',
        accepts: ['ab', 'x'.repeat(64)],
        refuses: ['a', 'x'.repeat(65), 'a b'],
      },
    ],
    more: 'sweep.md',
  },
  'instance-arn': { whenEmpty: 'discovered (ListInstances)' },
  'identity-store-id': { whenEmpty: 'discovered (ListInstances)' },
  'only-outdated': { accepts: BOOLEAN },
  'end-sessions': {
    note: 'Saved for the post step as the main step read it. The permissions it needs: [aws-setup.md](aws-setup.md#ending-the-sessions-a-revoke-leaves-session-fences); what a revoke then says (four outcomes): [ephemeral-access.md](ephemeral-access.md#what-ends-when).',
    accepts: BOOLEAN,
  },
  'client-id': {
    whenEmpty: 'env `AZURE_CLIENT_ID`, else the ambient Azure credential',
    accepts: 'a GUID',
  },
  'tenant-id': { whenEmpty: 'env `AZURE_TENANT_ID`' },
  environment: {
    accepts: '`AzureCloud`, `AzureUSGovernment`, `AzureChinaCloud`',
  },
  'authority-host': {
    whenEmpty: "the `environment`'s",
    accepts: 'an https URL',
  },
  'resource-manager-endpoint': {
    whenEmpty: "the `environment`'s",
    accepts: 'an https URL; the token scope becomes `<endpoint>/.default`',
  },
  'assignment-name': {
    whenEmpty: 'a new GUID per run',
    accepts: 'a GUID, for a single grant',
    edges: [
      {
        cloud: 'azure',
        operation: 'assign',
        accepts: ['11111111-2222-3333-4444-555555555555'],
        refuses: ['not-a-guid'],
      },
    ],
  },
  condition: {},
  'condition-version': { whenEmpty: '`2.0` with a condition' },
  description: {
    note: "With `revoke-on-exit` (no `duration`) the run's marker `[cloud-access:<owner>/<repo>:run:<run id>:<attempt>:e]` is appended, which `operation: sweep` reads.",
    whenEmpty: 'the repository, workflow, run, actor and ref that granted it',
    more: 'sweep.md',
  },
  'delegated-managed-identity-resource-id': {},
  'graph-endpoint': {
    note: 'Only principals given by name need Graph; object IDs never wait on it (their row labels get at most 15 s).',
    whenEmpty: "the `environment`'s",
    accepts: 'an https URL',
    more: 'azure-setup.md#azure-principals-by-name',
  },
  manifest: {
    accepts: 'a `.yml`, `.yaml` or `.json` path in the workspace; `report`: a list of them',
    refusedElsewhere: true,
    more: 'access-as-code.md',
  },
  'max-deletions': {
    accepts: 'a whole number, 0 to 100000',
    edges: [{ cloud: 'aws', operation: 'reconcile', accepts: ['0', '100000'], refuses: ['100001', '-1'] }],
  },
  'policy-checks': {
    whenEmpty: '`on`',
    accepts: '`on`, `required` or `off`',
    note: 'Needs `access-analyzer:ValidatePolicy`, `access-analyzer:CheckNoNewAccess`, `access-analyzer:CheckAccessNotGranted`, `iam:GetPolicy` and `iam:GetPolicyVersion`; no analyzer. No call for a set the plan leaves alone.',
    edges: [{ cloud: 'aws', operation: 'reconcile', accepts: ['required', 'off'], refuses: ['yes'] }],
    more: 'access-as-code.md#what-a-permission-set-change-allows',
  },
  'created-by': {
    whenEmpty: "the step's own identity (AWS: `role-to-assume`)",
    accepts: 'a list: AWS IAM role ARNs; Azure object IDs',
    refusedElsewhere: true,
    more: 'sweep.md#created-by-is-a-trust-boundary',
  },
  'github-token': { more: 'sweep.md#permissions' },
  policy: {
    whenEmpty: '`.github/access-policy.yml`',
    accepts: 'a path in the repository, read at the default branch',
    note: '`review` reads its `people` for self-review; without the file self-review is not checked, with a notice.',
    refusedElsewhere: true,
    more: 'request.md',
  },
  rule: {
    accepts: 'a rule name of the policy',
    refusedElsewhere: true,
    more: 'request.md',
  },
  justification: {
    whenEmpty: 'none (refused when the rule requires one)',
    accepts: 'text, at most 500 characters',
    refusedElsewhere: true,
    more: 'request.md',
  },
  lookback: {
    note: 'A sweep reads CloudTrail from 15 minutes before it, and further back only for the claims about to be revoked.',
    whenEmpty: '`35d` (`sweep`: the longest a GitHub run lasts), `90d` (`report`: all CloudTrail keeps)',
    accepts: 'a duration, 1 minute to 90 days',
    edges: [{ cloud: 'aws', operation: 'sweep', accepts: ['1m', '90d'], refuses: ['30s', '91d'] }],
    refusedElsewhere: true,
  },
  snapshot: {
    whenEmpty: 'a complete read every run',
    accepts: '`s3://<bucket>/<prefix>`',
    note: 'Needs `s3:GetObject` and `s3:PutObject` on the prefix, `s3:ListBucket` on the bucket and `cloudtrail:LookupEvents`; a missing bucket fails the step before any write. Never written on an event that may not write (a pull request).',
    more: 'access-as-code.md#a-snapshot-instead-of-a-complete-read-every-run',
  },
  'full-read-every': {
    whenEmpty: '`7d`',
    accepts: 'a duration, 1 minute to 89 days',
    note: "Counted from the snapshot's last complete read, not its last refresh: a snapshot brought up to date every run still ages.",
  },
  'event-history-roles': {
    whenEmpty: "the step's own account's event history only",
    accepts: 'IAM role ARNs, one a line or comma-separated',
    note: "One role in each other account that administers the instance (the management account beside a delegated administrator): it trusts the step's role (`sts:AssumeRole`) and allows `cloudtrail:LookupEvents`. A role the step cannot assume is a warning naming the account, and that run reads completely.",
    more: 'access-as-code.md#a-snapshot-instead-of-a-complete-read-every-run',
  },
  'fail-on-stuck': {
    accepts: BOOLEAN,
    note: 'A stuck grant: unproven, and every run that claims it has ended or cannot be proven; each is a warning with the command that removes it by hand.',
    refusedElsewhere: true,
    more: 'sweep.md#what-no-sweep-will-end',
  },
  'expand-groups': {
    accepts: BOOLEAN,
    note: 'AWS: Identity Store group memberships; Azure: Microsoft Graph transitive members (GroupMember.Read.All).',
    more: 'report.md',
  },
  'compare-to': {
    accepts: "a `.json` path inside the workspace: a previous report's `report-json`",
    more: 'report.md',
  },
  'last-used': {
    accepts: BOOLEAN,
    note: 'AWS: needs `cloudtrail:LookupEvents` in the Identity Center account (the report role has it), or with `usage-source: athena://…` the Athena, Glue and S3 reads of [report.md](report.md#read-only-permissions); a sign-in is a `GetRoleCredentials` event, an error or `ListAccountRoles` is none.',
    more: 'report.md#who-last-used-a-grant',
  },
  'usage-source': {
    whenEmpty: '`lookup-events`',
    accepts: '`lookup-events`, `athena://<workgroup>/<database>.<table>`',
    note: 'Checked before any call; read only with `last-used: true`.',
    more: 'report.md#who-last-used-a-grant',
  },
  'unused-after': {
    whenEmpty: '`90d`',
    accepts: 'a duration, 1 to 366 days',
    note: 'Read only with `last-used: true`.',
    more: 'report.md#who-last-used-a-grant',
  },
  prune: {
    whenEmpty: 'off: no pull request',
    accepts: '`pull-request`',
    note: 'Needs `last-used: true`, `manifest` and a `github-token` with `contents: write` and `pull-requests: write`; checked before any call.',
    more: 'report.md#pruning-what-nobody-used',
  },
  campaign: {
    whenEmpty: "the run's year and quarter (`2026-Q4`)",
    accepts: 'a name: letters, digits, `.`, `_`, `-`, at most 64',
    refusedElsewhere: true,
    more: 'review.md',
  },
  'campaign-start': {
    whenEmpty:
      "the reviewers file's `campaigns.<campaign>.start`; a quarter's campaign: its workflow's first `schedule` or `workflow_dispatch` run on the default branch in the quarter (`actions: read`); a named campaign with neither is refused",
    accepts: 'a date (`2026-12-01`, midnight UTC) or a time in UTC (`2026-12-01T09:00Z`)',
    refusedElsewhere: true,
    more: 'review.md',
  },
  reviewers: {
    whenEmpty: '`.github/access-reviewers.yml`',
    accepts: 'a path in the repository, read at the default branch',
    refusedElsewhere: true,
    more: 'review.md',
  },
};

export const OUTPUT_USES: Record<string, OutputUse> = {
  status: {},
  'request-id': {},
  'failure-reason': {},
  changed: {},
  'assignment-id': {},
  'expires-at': {
    more: 'azure-setup.md#time-bound-access-that-azure-ends-itself-duration',
  },
  results: { more: '#results' },
  plan: { more: 'access-as-code.md' },
  'report-json': { more: 'report.md' },
  'report-csv': { more: 'report.md' },
  changes: { more: 'report.md' },
  drift: { more: 'access-as-code.md' },
  'drift-remaining': { more: 'access-as-code.md' },
  missed: { more: 'access-as-code.md' },
  'evidence-complete': { more: 'report.md#who-last-used-a-grant' },
  'prune-pull-request': { more: 'report.md#pruning-what-nobody-used' },
  'policy-checks': { more: 'access-as-code.md#what-a-permission-set-change-allows' },
  review: { more: 'review.md' },
};
