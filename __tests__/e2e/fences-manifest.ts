// What aws-reconcile-fences.test.ts and aws-reconcile-fences-snapshot.test.ts share: a manifest that
// defines the Engineers permission set, whose session fences the tests plant, and the step's
// repository. The suite is two files, so that jest's workers run them side by side.

/** The step's repository, as GITHUB_REPOSITORY names it. */
export const ENV = { GITHUB_REPOSITORY: 'octo-org/infra' };

/** A statement that allows `action` on every resource. */
export const allow = (action: string) => ({ Effect: 'Allow', Action: action, Resource: '*' });
const policyJson = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [allow(action)] });

/** Engineers, whose inline policy allows `action`, granted to Deployers in two accounts. */
export const manifest = (action: string) =>
  [
    'version: 1',
    'aws:',
    '  manages: {permission-sets: [Engineers]}',
    '  permission-sets:',
    '    - name: Engineers',
    '      session-duration: PT1H',
    `      inline-policy: '${policyJson(action)}'`,
    '  assignments:',
    "    - {principal: Deployers, principal-type: GROUP, role: Engineers, target: '111111111111'}",
    "    - {principal: Deployers, principal-type: GROUP, role: Engineers, target: '222222222222'}",
  ].join('\n');
