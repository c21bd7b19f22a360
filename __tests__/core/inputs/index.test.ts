import { describe, expect, it } from '@jest/globals';
import {
  parseInputs,
  type AwsConfig,
  type AzureConfig,
  type ConfigOf,
} from '../../../src/core/inputs/index.js';
import { CLOUD_INPUTS } from '../../../src/core/inputs/other-cloud.js';
import { ROOT_DEFAULTS } from '../../../src/core/inputs/other-operation.js';
import { parseYaml, type ActionMetadata } from '../../../scripts/workflows/play-workflow.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputProblems, reader } from '../../harness/input-problems.js';

const PS_ARN = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef';
const SUB = '00000000-0000-0000-0000-000000000001';
const PRINCIPAL = '11111111-2222-3333-4444-555555555555';

const problemsOf = (inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
  inputProblems(inputs, env);

describe('AWS inputs become a typed plan', () => {
  it('expands principal × target × role into grants, dropping duplicates', () => {
    const plan = parseInputs(
      reader({
        cloud: 'aws',
        principal: 'alice\nbob, alice',
        target: '111111111111,222222222222',
        role: 'ReadOnlyAccess',
        'aws-region': 'eu-west-1',
      }),
    ) as AwsConfig;
    expect(plan.grants).toHaveLength(4);
    expect(plan.grants[0]!.written).toEqual({
      principal: 'alice',
      target: '111111111111',
      role: 'ReadOnlyAccess',
    });
    expect(plan.region).toBe('eu-west-1');
  });

  it('applies the documented defaults', () => {
    const plan = parseInputs(
      reader({ cloud: 'aws', principal: 'alice', target: '111111111111', role: PS_ARN }),
      { AWS_REGION: 'us-east-1' },
      { runId: '42', runAttempt: '2' },
    ) as AwsConfig;
    expect(plan).toMatchObject({
      operation: 'assign',
      principalType: 'USER',
      wait: true,
      timeoutSeconds: 300,
      revokeOnExit: false,
      dryRun: false,
      maxConcurrency: 15,
      audience: 'sts.amazonaws.com',
      roleSessionName: 'cloud-access-42-2',
      onlyOutdated: true,
      endSessions: true,
    });
  });

  it('`end-sessions: false` keeps the live sessions of what a revoke ends (AWS only)', () => {
    const revoke = {
      cloud: 'aws',
      operation: 'revoke',
      principal: 'alice',
      target: '111111111111',
      role: PS_ARN,
    };
    const plan = parseInputs(reader({ ...revoke, 'end-sessions': 'false' }), { AWS_REGION: 'us-east-1' });
    expect((plan as AwsConfig).endSessions).toBe(false);
    expect(problemsOf({ ...revoke, 'end-sessions': 'maybe' }, { AWS_REGION: 'us-east-1' })).toEqual([
      expect.stringMatching(/^input `end-sessions`/),
    ]);
  });

  it('accepts ARNs of every partition in the model', () => {
    for (const partition of ['aws', 'aws-us-gov', 'aws-cn', 'aws-iso', 'aws-iso-b']) {
      const problems = problemsOf({
        cloud: 'aws',
        principal: 'alice',
        target: '111111111111',
        role: PS_ARN.replace('arn:aws:', `arn:${partition}:`),
        'instance-arn': `arn:${partition}:sso:::instance/ssoins-1234567890abcdef`,
        'aws-region': 'us-east-1',
      });
      expect(problems).toEqual([]);
    }
  });

  it('reads principal-type case-insensitively', () => {
    const plan = parseInputs(
      reader({
        cloud: 'aws',
        principal: 'Deployers',
        'principal-type': 'group',
        target: '111111111111',
        role: 'X',
        'aws-region': 'us-east-1',
      }),
    ) as AwsConfig;
    expect(plan.principalType).toBe('GROUP');
  });
});

describe('invalid input is rejected before any network call, naming the input', () => {
  const aws = {
    cloud: 'aws',
    principal: 'alice',
    target: '111111111111',
    role: 'ReadOnlyAccess',
    'aws-region': 'us-east-1',
  };
  it.each([
    [{ ...aws, cloud: '' }, 'input `cloud`: is required'],
    [{ ...aws, cloud: 'gcp' }, 'input `cloud`: `gcp` is not one of `aws`, `azure`'],
    [{ ...aws, operation: 'grant' }, 'input `operation`: `grant` is not one of'],
    [{ ...aws, 'principal-type': 'ROLE' }, 'input `principal-type`: `ROLE` is not one of `USER`, `GROUP`'],
    [{ ...aws, target: '11111111111' }, 'input `target`: `11111111111` is not a 12-digit AWS account ID'],
    [{ ...aws, target: '1111111111111' }, 'is not a 12-digit AWS account ID'],
    [
      { ...aws, role: 'arn:aws:sso:::permissionSet/ssoins-123/ps-1' },
      'input `role`: `arn:aws:sso:::permissionSet/ssoins-123/ps-1` is not a permission set ARN',
    ],
    [{ ...aws, role: PS_ARN.replace('arn:aws:', 'arn:aws-moon:') }, 'is not a permission set ARN'],
    [{ ...aws, 'instance-arn': 'arn:aws:sso:::instance/ins-1' }, 'input `instance-arn`'],
    [
      { ...aws, 'timeout-seconds': '0' },
      'input `timeout-seconds`: `0` is not a whole number from 1 to 21600',
    ],
    [{ ...aws, 'timeout-seconds': '-5' }, 'input `timeout-seconds`'],
    [{ ...aws, 'max-concurrency': '1e9' }, 'input `max-concurrency`'],
    [{ ...aws, wait: 'yes' }, 'input `wait`: `yes` is not a boolean'],
    [{ ...aws, principal: '' }, 'input `principal`: is required'],
    [{ ...aws, principal: ' , ,' }, 'input `principal`: holds no values'],
    [{ ...aws, 'aws-region': 'mars' }, 'input `aws-region`'],
    [{ ...aws, 'role-to-assume': 'arn:aws:iam::12345:role/x' }, 'input `role-to-assume`'],
    [{ ...aws, 'revoke-on-exit': 'true', operation: 'revoke' }, 'input `revoke-on-exit`'],
  ])('%j', (inputs, expected) => {
    expect(problemsOf(inputs).join('\n')).toContain(expected);
  });

  it('requires a Region from the input or the environment', () => {
    expect(problemsOf({ ...aws, 'aws-region': '' }).join()).toContain('input `aws-region`: is required');
    expect(problemsOf({ ...aws, 'aws-region': '' }, { AWS_REGION: 'us-west-2' })).toEqual([]);
  });

  it('tells to quote account IDs: unquoted, YAML drops a leading zero', () => {
    // `target: 012345678901` unquoted reaches the step as the number 12345678901.
    const [problem] = problemsOf({ ...aws, target: '12345678901' });
    expect(problem).toContain('`12345678901` is not a 12-digit AWS account ID');
    expect(problem).toContain("quote account IDs in the workflow, e.g. `target: '012345678901'`");
    expect(problem).toContain('drops its leading zero');
    const provision = problemsOf({ ...aws, operation: 'provision', target: '12345678901' }).find((p) =>
      p.startsWith('input `target`'),
    );
    expect(provision).toContain('`ALL_PROVISIONED_ACCOUNTS`');
    expect(provision).toContain('quote account IDs');
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ ...aws, target: '1', role: 'arn:x', wait: 'maybe' })).toHaveLength(3);
  });

  it('does not echo control characters from a rejected value', () => {
    const problems = problemsOf({ ...aws, target: '1\u001b[31m::error::forged' }).join();
    expect(problems).not.toContain('\u001b');
  });

  it('provision names each account and permission set once, however many of the other it is given with', () => {
    const config = parseInputs(
      reader({
        cloud: 'aws',
        operation: 'provision',
        'aws-region': 'us-east-1',
        target: '111111111111, 222222222222, 111111111111',
        role: 'ReadOnlyAccess\nAdministratorAccess\nReadOnlyAccess',
      }),
    ) as ConfigOf<'provision'>;
    // One ProvisionPermissionSet per outdated account, not one per account × role.
    expect(config.provision).toEqual({
      accounts: ['111111111111', '222222222222'],
      permissionSets: [
        { kind: 'name', name: 'ReadOnlyAccess' },
        { kind: 'name', name: 'AdministratorAccess' },
      ],
    });
    expect(config.grants).toEqual([]);
  });

  it('rejects provision on Azure', () => {
    expect(
      problemsOf({
        cloud: 'azure',
        operation: 'provision',
        target: `/subscriptions/${SUB}`,
        role: 'Reader',
      }).join(),
    ).toContain('`provision` re-provisions AWS permission sets and exists only for `cloud: aws`');
  });
});

describe('Azure inputs become a typed plan', () => {
  const azure = {
    cloud: 'azure',
    principal: PRINCIPAL,
    target: `/subscriptions/${SUB}/resourcegroups/rg-app/`,
    role: 'Reader',
  };

  it('normalises scopes the way ARM writes them', () => {
    const plan = parseInputs(reader(azure)) as AzureConfig;
    expect(plan.grants[0]!.written.target).toBe(`/subscriptions/${SUB}/resourceGroups/rg-app`);
    expect(plan.grants[0]!.scope).toMatchObject({
      kind: 'resourceGroup',
      subscriptionId: SUB,
    });
  });

  it('chooses the endpoints of the environment, and lets overrides win', () => {
    const gov = parseInputs(reader({ ...azure, environment: 'AzureUSGovernment' })) as AzureConfig;
    expect(gov).toMatchObject({
      authorityHost: 'https://login.microsoftonline.us',
      resourceManagerEndpoint: 'https://management.usgovcloudapi.net',
    });
    const china = parseInputs(reader({ ...azure, environment: 'azurechinacloud' })) as AzureConfig;
    expect(china.resourceManagerEndpoint).toBe('https://management.chinacloudapi.cn');
    const stack = parseInputs(
      reader({
        ...azure,
        'authority-host': 'https://login.stack.local/',
        'resource-manager-endpoint': 'https://arm.stack.local',
      }),
    ) as AzureConfig;
    expect(stack).toMatchObject({
      authorityHost: 'https://login.stack.local',
      resourceManagerEndpoint: 'https://arm.stack.local',
      tokenScope: 'https://arm.stack.local/.default',
    });
  });

  it('defaults conditionVersion to 2.0 when a condition is given', () => {
    const condition =
      "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'";
    const plan = parseInputs(reader({ ...azure, condition })) as AzureConfig;
    expect(plan.conditionVersion).toBe('2.0');
  });

  it('describes who granted the assignment by default', () => {
    const plan = parseInputs(
      reader(azure),
      {},
      {
        repository: 'octo-org/app',
        workflow: 'deploy',
        runId: '7',
        runAttempt: '1',
        actor: 'octocat',
        ref: 'refs/heads/main',
      },
    ) as AzureConfig;
    expect(plan.description).toBe(
      'Granted by cloud-access for octo-org/app workflow "deploy" run 7 attempt 1 started by octocat on refs/heads/main',
    );
    expect(plan.run.repository).toBe('octo-org/app');
  });

  it.each([
    [
      { ...azure, principal: 'alice smith@example.com' },
      'input `principal`: `alice smith@example.com` is not a user principal name: it has spaces',
    ],
    [{ ...azure, 'principal-type': 'Robot' }, 'input `principal-type`'],
    [
      { ...azure, target: '/subscriptions/not-a-guid' },
      'input `target`: `/subscriptions/not-a-guid` is not an Azure scope',
    ],
    [{ ...azure, target: '/resourceGroups/rg' }, 'is not an Azure scope'],
    [
      { ...azure, role: '/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/123' },
      'input `role`',
    ],
    [{ ...azure, role: "Reader' or 1 eq 1 or roleName eq '" }, 'input `role`'],
    [
      { ...azure, 'client-id': '11111111-1111-1111-1111-111111111111' },
      'input `tenant-id`: is required when the other',
    ],
    [
      { ...azure, 'authority-host': 'http://login.example' },
      'input `authority-host`: `http://login.example` must be an https URL',
    ],
    [{ ...azure, 'assignment-name': 'my-assignment' }, 'input `assignment-name`'],
    [{ ...azure, condition: 'true' }, 'input `condition`: is not an Azure ABAC condition expression'],
    [
      { ...azure, 'condition-version': '1.0', condition: '@Resource[x] StringEquals 1' },
      'input `condition-version`',
    ],
    [{ ...azure, environment: 'AzureGermanCloud' }, 'input `environment`'],
  ])('%j', (inputs, expected) => {
    expect(problemsOf(inputs).join('\n')).toContain(expected);
  });
});

describe('max-concurrency defaults to what each service lets go at once', () => {
  const aws = {
    cloud: 'aws',
    principal: 'alice',
    target: '111111111111',
    role: PS_ARN,
    'aws-region': 'us-east-1',
  };
  const azure = { cloud: 'azure', principal: PRINCIPAL, target: `/subscriptions/${SUB}`, role: 'Reader' };
  const azureEnv = { AZURE_CLIENT_ID: '99999999-2222-3333-4444-555555555555', AZURE_TENANT_ID: SUB };

  it("AWS: IAM Identity Center's 15 outstanding creates", () => {
    expect(parseInputs(reader(aws)).maxConcurrency).toBe(15);
  });

  it("Azure: enough writes in flight to keep ARM's write bucket busy", () => {
    expect(parseInputs(reader(azure), azureEnv).maxConcurrency).toBe(30);
  });

  it('a value given is used as it is, on either cloud', () => {
    expect(parseInputs(reader({ ...aws, 'max-concurrency': '10' })).maxConcurrency).toBe(10);
    expect(parseInputs(reader({ ...azure, 'max-concurrency': '50' }), azureEnv).maxConcurrency).toBe(50);
  });
});

describe('a principal that is the client ID (the application ID, not an object ID) is caught before any request', () => {
  const CLIENT = 'a7c3e5f1-2b4d-4e6a-8c9b-0d1f3a5c7e92';
  const TENANT = '8b5e9f3c-27a4-4c1d-9e6f-0a2b7c4d1e93';
  const azure = { cloud: 'azure', target: `/subscriptions/${SUB}`, role: 'Reader', 'tenant-id': TENANT };
  const fix = `a role assignment takes the object ID of the app's service principal: write \`sp:${CLIENT}\` to have it looked up, or the object ID \`az ad sp show --id ${CLIENT} --query id --output tsv\` prints`;

  it('names the input, says what the value is, and gives the command that prints the object ID', () => {
    expect(problemsOf({ ...azure, 'client-id': CLIENT, principal: CLIENT })).toEqual([
      `input \`principal\`: \`${CLIENT}\` is the \`client-id\` the action signs in with: an application (client) ID, not an object ID: ${fix}`,
    ]);
  });

  it('whatever the case of either, and for the one list entry that is the client ID', () => {
    const problems = problemsOf({
      ...azure,
      'client-id': CLIENT.toUpperCase(),
      principal: `${PRINCIPAL}\n${CLIENT}`,
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`input \`principal\`: \`${CLIENT}\` is the \`client-id\``);
  });

  it('with the client ID given by AZURE_CLIENT_ID instead of the input', () => {
    const problems = problemsOf(
      { ...azure, principal: CLIENT },
      { AZURE_CLIENT_ID: CLIENT, AZURE_TENANT_ID: TENANT },
    );
    expect(problems).toEqual([expect.stringContaining('is the `client-id` the action signs in with')]);
  });

  it('the object ID of a service principal is taken', () => {
    expect(problemsOf({ ...azure, 'client-id': CLIENT, principal: PRINCIPAL })).toEqual([]);
  });
});

describe('the size of a batch is checked before it is built', () => {
  it('refuses 2,000 × 2,000 × 50 from the list lengths, without expanding them', () => {
    const list = (n: number, f: (i: number) => string) =>
      Array.from({ length: n }, (_, i) => f(i)).join('\n');
    const started = process.memoryUsage().heapUsed;
    const problems = problemsOf({
      cloud: 'aws',
      'aws-region': 'us-east-1',
      principal: list(2000, (i) => `user${i}`),
      target: list(2000, (i) => String(100000000000 + i)),
      role: list(50, (i) => `PS${i}`),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      'input `principal`: principal × target × role is 2000 × 2000 × 50 = 200000000 grants',
    );
    // Nothing near 200 million grant objects was built.
    expect(process.memoryUsage().heapUsed - started).toBeLessThan(50 * 1024 * 1024);
  });

  it('counts after duplicates are dropped', () => {
    const plan = parseInputs(
      reader({
        cloud: 'aws',
        'aws-region': 'us-east-1',
        principal: Array(2000).fill('alice').join(','),
        target: '111111111111',
        role: 'ReadOnlyAccess',
      }),
    );
    expect(plan.grants).toHaveLength(1);
  });
});

describe('post-timeout-seconds', () => {
  it('defaults to 300 whatever timeout-seconds says, and is validated like it', () => {
    const inputs = {
      cloud: 'aws',
      'aws-region': 'us-east-1',
      principal: 'alice',
      target: '111111111111',
      role: 'ReadOnlyAccess',
    };
    const plan = parseInputs(reader({ ...inputs, 'timeout-seconds': '3' }));
    expect(plan.postTimeoutSeconds).toBe(300);
    expect(parseInputs(reader({ ...inputs, 'post-timeout-seconds': '30' })).postTimeoutSeconds).toBe(30);
    expect(problemsOf({ ...inputs, 'post-timeout-seconds': '0' })[0]).toContain(
      'input `post-timeout-seconds`',
    );
  });
});

describe('duration: time-bound Azure assignments', () => {
  const azure = { cloud: 'azure', principal: PRINCIPAL, target: `/subscriptions/${SUB}`, role: 'Reader' };

  it('is parsed into ISO 8601 for the PIM request, and is absent when empty', () => {
    const config = parseInputs(reader({ ...azure, duration: '90m' })) as AzureConfig;
    expect(config.duration).toEqual({ iso: 'PT1H30M', ms: 90 * 60_000 });
    expect((parseInputs(reader(azure)) as AzureConfig).duration).toBeUndefined();
  });

  it('must be at least 5 minutes and at most a year', () => {
    expect(problemsOf({ ...azure, duration: 'PT4M' })).toEqual([
      expect.stringMatching(/shorter than 5 minutes/),
    ]);
    expect(problemsOf({ ...azure, duration: 'P400D' })).toEqual([
      expect.stringMatching(/longer than a year/),
    ]);
    expect(problemsOf({ ...azure, duration: 'PT5M' })).toEqual([]);
    expect(problemsOf({ ...azure, duration: 'P365D' })).toEqual([]);
    expect(problemsOf({ ...azure, duration: 'P366D' })).toEqual([
      expect.stringMatching(/use `P365D` or less/),
    ]);
  });

  it('names what it cannot read', () => {
    expect(problemsOf({ ...azure, duration: 'two hours' })).toEqual([
      expect.stringMatching(/input `duration`: `two hours` is neither an ISO 8601 duration/),
    ]);
  });

  it('cannot go with the inputs of a plain role assignment that PIM does not take', () => {
    const problems = problemsOf({
      ...azure,
      duration: '2h',
      'assignment-name': '05c5a614-a7d6-4502-b150-c2fb455033ff',
      'delegated-managed-identity-resource-id': `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id`,
    });
    expect(problems).toEqual([
      expect.stringMatching(/`assignment-name`: cannot be used with `duration`/),
      expect.stringMatching(/`delegated-managed-identity-resource-id`: cannot be used with `duration`/),
    ]);
  });
});

describe('hints point at the mistake that was made', () => {
  const aws = { cloud: 'aws', principal: 'alice', role: 'ReadOnlyAccess', 'aws-region': 'us-east-1' };
  const azure = { cloud: 'azure', principal: PRINCIPAL, target: `/subscriptions/${SUB}`, role: 'Reader' };
  const problemOf = (inputs: Record<string, string>, input: string) =>
    problemsOf(inputs).find((p) => p.startsWith(`input \`${input}\``)) ?? '';

  describe('a list written another way than with commas or newlines', () => {
    it.each([
      ['separated by spaces', '111111111111 222222222222', 'not with spaces'],
      ['as a JSON array', '["111111111111", "222222222222"]', 'not as a JSON or YAML array'],
    ])('AWS accounts %s get the list syntax, not the leading zero', (_how, target, words) => {
      const problems = problemsOf({ ...aws, target }).filter((p) => p.startsWith('input `target`'));
      expect(problems.length).toBeGreaterThan(0);
      for (const problem of problems) {
        expect(problem).toContain(
          "separate the values of a list with commas or newlines, e.g. `target: '111111111111, 222222222222'`",
        );
        expect(problem).toContain(words);
        expect(problem).not.toContain('leading zero');
      }
    });

    it('Azure scopes and principals separated by spaces get it too', () => {
      expect(
        problemOf({ ...azure, target: `/subscriptions/${SUB} /subscriptions/${SUB}` }, 'target'),
      ).toContain('separate the values of a list with commas or newlines');
      expect(problemOf({ ...azure, principal: `${PRINCIPAL} ${PRINCIPAL}` }, 'principal')).toContain(
        'separate the values of a list with commas or newlines',
      );
    });

    it('an account ID short of digits still gets the leading zero; one with letters gets neither', () => {
      expect(problemOf({ ...aws, target: '12345678901' }, 'target')).toContain('quote account IDs');
      expect(problemOf({ ...aws, target: '11111111111a' }, 'target')).toBe(
        'input `target`: `11111111111a` is not a 12-digit AWS account ID',
      );
      expect(problemOf({ ...aws, target: 'ALL_PROVISIONED_ACCOUNTS' }, 'target')).toContain(
        '`ALL_PROVISIONED_ACCOUNTS` is for `operation: provision`',
      );
    });
  });

  describe("the other cloud's inputs are errors", () => {
    it.each([
      ['client-id', '11111111-1111-1111-1111-111111111111'],
      ['tenant-id', 'contoso.onmicrosoft.com'],
      ['assignment-name', PRINCIPAL],
      ['condition', "@Resource[x] StringEquals 'y'"],
      ['description', 'why'],
      ['authority-host', 'https://login.example.com'],
      ['environment', 'AzureUSGovernment'],
    ])('`%s` on AWS', (input, value) => {
      expect(problemOf({ ...aws, target: '111111111111', [input]: value }, input)).toMatch(
        input === 'environment'
          ? /^input `environment`: applies to `cloud: azure` only/
          : new RegExp(
              `^input \`${input}\`: applies to \`cloud: azure\` only, and this step is \`cloud: aws\`: remove \`${input}\`$`,
            ),
      );
    });

    it.each([
      ['aws-region', 'us-east-1'],
      ['role-to-assume', 'arn:aws:iam::123456789012:role/x'],
      ['role-session-name', 'mine'],
      ['instance-arn', 'arn:aws:sso:::instance/ssoins-1234567890abcdef'],
      ['identity-store-id', 'd-1234567890'],
      ['only-outdated', 'false'],
      ['end-sessions', 'false'],
    ])('`%s` on Azure', (input, value) => {
      expect(problemOf({ ...azure, [input]: value }, input)).toBe(
        `input \`${input}\`: applies to \`cloud: aws\` only, and this step is \`cloud: azure\`: remove \`${input}\``,
      );
    });

    it('but not the defaults the runner passes for inputs a workflow left out', () => {
      const action = parseYaml(
        readFileSync(join(import.meta.dirname, '..', '..', '..', 'action.yml'), 'utf8'),
      ) as ActionMetadata;
      const defaults = Object.fromEntries(
        Object.entries(action.inputs ?? {}).map(([name, input]) => [name, String(input.default ?? '')]),
      );
      // The table of each cloud's inputs knows action.yml's defaults.
      for (const own of Object.values(CLOUD_INPUTS))
        for (const [input, unset] of Object.entries(own))
          expect([input, unset]).toEqual([input, defaults[input]]);
      expect(problemsOf({ ...defaults, ...aws, target: '111111111111' })).toEqual([]);
      expect(problemsOf({ ...defaults, ...azure })).toEqual([]);
    });
  });

  it('`environment: production` says the job-level `environment:` was probably meant', () => {
    for (const cloud of [azure, { ...aws, target: '111111111111' }]) {
      const problem = problemOf({ ...cloud, environment: 'production' }, 'environment');
      expect(problem).toContain(
        "set `environment: production` on the job, beside `runs-on:`, not under the step's `with:`",
      );
    }
    // A misspelt Azure cloud is just that.
    expect(problemOf({ ...azure, environment: 'AzureGermanCloud' }, 'environment')).toBe(
      'input `environment`: `AzureGermanCloud` is not one of `AzureCloud`, `AzureUSGovernment`, `AzureChinaCloud`: it names the Azure cloud',
    );
    expect(problemOf({ ...azure, environment: 'AzureClodu' }, 'environment')).toMatch(
      /: did you mean `AzureCloud`\?$/,
    );
  });

  it('a misspelt choice gets the choice it is closest to, a transposition counting as one edit', () => {
    expect(problemOf({ ...azure, cloud: 'azrue' }, 'cloud')).toBe(
      'input `cloud`: `azrue` is not one of `aws`, `azure`: did you mean `azure`?',
    );
    expect(problemOf({ ...azure, operation: 'asign' }, 'operation')).toMatch(/: did you mean `assign`\?$/);
    expect(problemOf({ ...azure, 'principal-type': 'Gruop' }, 'principal-type')).toMatch(
      /: did you mean `Group`\?$/,
    );
    expect(problemOf({ ...azure, 'dry-run': 'ture' }, 'dry-run')).toBe(
      'input `dry-run`: `ture` is not a boolean: did you mean `true`?',
    );
    // Nothing close: the choices are the hint.
    expect(problemOf({ ...azure, 'dry-run': 'maybe' }, 'dry-run')).toBe(
      'input `dry-run`: `maybe` is not a boolean: use `true` or `false`',
    );
  });

  it('an Azure scope without its leading `/` is refused, not completed', () => {
    expect(problemOf({ ...azure, target: `subscriptions/${SUB}` }, 'target')).toContain(
      `a scope starts with \`/\`: write \`/subscriptions/${SUB}\``,
    );
  });

  it('an Azure target of a bare resource group name is refused with the form that names its subscription', () => {
    expect(problemOf({ ...azure, target: 'rg-app' }, 'target')).toContain(
      '`rg-app` is not an Azure scope: a scope starts with `/subscriptions/{id}`: a resource group is written with its subscription, `/subscriptions/<subscription-id>/resourceGroups/rg-app`',
    );
  });

  it('`revoke-on-exit` in a dry run is refused, as with `operation: revoke`: nothing is created to revoke', () => {
    const grant = { ...aws, target: '111111111111', 'revoke-on-exit': 'true' };
    expect(problemOf({ ...grant, 'dry-run': 'true' }, 'revoke-on-exit')).toContain(
      'does nothing in a dry run: a dry run creates nothing for the post step to revoke',
    );
    expect(problemOf({ ...grant, operation: 'revoke' }, 'revoke-on-exit')).toContain(
      'applies to `operation: assign` only, not `revoke`',
    );
    expect(problemsOf({ ...grant, 'dry-run': 'false' })).toEqual([]);
  });
});

describe('the root action refuses an input its operation does not read, as a sub-action does', () => {
  const aws = { cloud: 'aws', 'aws-region': 'us-east-1' };
  const assign = { ...aws, principal: 'alice', target: '111111111111', role: 'ReadOnlyAccess' };
  const problemOf = (inputs: Record<string, string>, input: string) =>
    problemsOf(inputs).find((p) => p.startsWith(`input \`${input}\``)) ?? '';
  const action = parseYaml(
    readFileSync(join(import.meta.dirname, '..', '..', '..', 'action.yml'), 'utf8'),
  ) as ActionMetadata;
  const defaults = Object.fromEntries(
    Object.entries(action.inputs ?? {}).map(([name, input]) => [name, String(input.default ?? '')]),
  );

  const sweep = { ...aws, operation: 'sweep', 'created-by': 'arn:aws:iam::123456789012:role/x' };
  it.each([
    ['wait', 'false', 'sweep', sweep],
    ['compare-to', 'previous.json', 'reconcile', { ...aws, operation: 'reconcile', manifest: 'access.yml' }],
    ['post-timeout-seconds', '600', 'revoke', { ...assign, operation: 'revoke' }],
    ['max-deletions', '3', 'assign', assign],
    ['expand-groups', 'true', 'sweep', sweep],
  ])(
    '`%s: %s` on a %s step is refused, naming the operation and the fix',
    (input, value, operation, step) => {
      expect(problemOf({ ...step, [input]: value }, input)).toMatch(
        new RegExp(
          `^input \`${input}\`: is not read by \`operation: ${operation}\`, which would ignore it: remove \`${input}\`, or set \`operation\` to one that reads it \\(\`[a-z]+\``,
        ),
      );
    },
  );

  it('but not the defaults the runner passes for every input of action.yml, on any operation', () => {
    const steps: Record<string, string>[] = [
      assign,
      { ...assign, operation: 'revoke' },
      { ...aws, operation: 'provision', role: '*', target: 'ALL_PROVISIONED_ACCOUNTS' },
      { ...aws, operation: 'reconcile', manifest: 'access.yml' },
      { ...aws, operation: 'sweep', 'created-by': 'arn:aws:iam::123456789012:role/x' },
      { ...aws, operation: 'report' },
      { ...aws, operation: 'request', rule: 'prod-read', duration: '1h' },
      { cloud: 'azure', operation: 'report', target: `/subscriptions/${SUB}` },
    ];
    for (const step of steps)
      expect(problemsOf({ ...defaults, 'github-token': 'ghs_token', ...step })).not.toContainEqual(
        expect.stringContaining('is not read by'),
      );
  });

  it('takes the defaults it tells an unset input by from action.yml', () => {
    const set = Object.fromEntries(Object.entries(defaults).filter(([, value]) => value !== ''));
    expect({ ...ROOT_DEFAULTS, 'github-token': '${{ github.token }}' }).toEqual(set);
  });
});

describe('a file a step reads from the repository is a path in it', () => {
  const request = {
    cloud: 'aws',
    operation: 'request',
    'aws-region': 'us-east-1',
    rule: 'prod-read',
    duration: '1h',
    'github-token': 'ghs_token',
  };
  const problemOf = (inputs: Record<string, string>, input: string) =>
    problemsOf(inputs).find((p) => p.startsWith(`input \`${input}\``));

  it.each([
    '/etc/access-policy.yml',
    '.github/../../policy.yml',
    '.github/access policy.yml',
    'policy.yml?x',
  ])('`policy: %s` is refused, with the default path as the example', (policy) => {
    expect(problemOf({ ...request, policy }, 'policy')).toContain(
      'is not a path in the repository: write a path such as `.github/access-policy.yml`',
    );
  });

  it('takes a path in the repository, and the default when unset', () => {
    expect(problemOf({ ...request, policy: '.github/policies/prod.yml' }, 'policy')).toBeUndefined();
    expect(problemOf(request, 'policy')).toBeUndefined();
  });
});
