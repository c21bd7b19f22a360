// A kind of access is one module (CONTRIBUTING.md, "Adding a kind of access"): its key, saved IDs,
// removal and words in src/core/kinds/, its input check in src/core/inputs/, its driver, reads and
// report rows in one room of its cloud's adapter; everything else reaches it through the tables that
// register every kind. The PIM eligibility is measured exactly: the code (comments aside) names it
// in its own files and in the registries below, and nowhere else, so the next kind costs a module
// and a line in each registry. Every other registered kind is held to a count of the files outside
// its rooms that name it (by its name, or by importing its rooms).
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, sourceFiles } from './source-files.js';
// The parsers of kind-words.ts, which parse each file once for all the measures here.
import { codeWords, filesNamingKind, importedPaths, type KindWords } from './kind-words.js';

/** The eligible kind's own files. */
const OWN = [
  'src/core/kinds/azure-pim-eligible.ts',
  'src/core/inputs/azure-eligible.ts',
  'src/azure/eligible/',
];

/**
 * Another kind's own files, whose code says "eligibility" of its own: PIM for groups, where Graph
 * names an eligible group membership's calls `eligibilityScheduleRequests` / `…Instances`. That is
 * not the PIM eligibility on roles measured here.
 */
const OTHER_KINDS_OWN = [
  'src/azure/graph/group-pim',
  'src/core/kinds/azure-pim-group.ts',
  'src/azure/group/',
  'src/core/manifest/azure-groups.ts',
];

/** Where every kind is registered, and why the eligible kind is named there. */
const REGISTRIES: Record<string, string> = {
  'src/core/kinds/index.ts': "KINDS, every kind's module by its name",
  'src/core/types.ts':
    'GRANT_KINDS, the list of every kind (a grant carries its kind); ASSIGNMENT_TYPES, the words a person uses (`eligible`)',
  'src/core/inputs/azure.ts':
    "the Azure inputs call the `assignment-type` check (the eligible kind's input module)",
  'src/azure/kinds.ts': "AZURE_KINDS, each Azure kind's drivers, reconcile reads and report reads",
  'src/azure/sdk/arm-permissions.ts':
    'the permission each ARM operation needs, by the operation name ARM gives it',
  // Not the eligible kind: PIM's rule that refuses an *active* assignment without an eligibility.
  'src/azure/pim/policy.ts': "the active PIM kind's `EligibilityRule`",
};

const NAMES_ELIGIBILITY = /eligib/i;

/** The source files whose code names the eligible kind, its own files aside. */
const namingFiles = (files: string[]): string[] =>
  files
    .filter((file) => ![...OWN, ...OTHER_KINDS_OWN].some((own) => file.startsWith(own)))
    .filter((file) =>
      codeWords(readFileSync(join(ROOT, file), 'utf8')).some((w) => NAMES_ELIGIBILITY.test(w)),
    );

describe('a kind of access is one module', () => {
  it('reads code, not comments: a name in a comment is no use of the kind', () => {
    expect(codeWords("// eligible\nconst a = 'x'; /* Eligibility */ f(b);")).toEqual(['a', 'x', 'f', 'b']);
    expect(codeWords('const kind = `azure-pim-eligible`;').some((w) => NAMES_ELIGIBILITY.test(w))).toBe(true);
  });

  it('the PIM eligibility kind is named, outside its own files, only where every kind is registered', () => {
    expect(namingFiles(sourceFiles('src', /\.ts$/)).sort()).toEqual(Object.keys(REGISTRIES).sort());
  });

  it('its own files exist, so the measure measures something', () => {
    const files = sourceFiles('src', /\.ts$/);
    for (const own of OWN) expect(files.some((file) => file.startsWith(own))).toBe(true);
  });
});

/**
 * Every registered kind, by its name (the kind's string, its module's export) and, for a kind of
 * its own rooms, by imports from them: the source files outside its rooms that name it, at most
 * `limit`. Each kind's rooms are its module in core/kinds/ and its folders in the adapter.
 */
const KIND_ROOMS: Record<string, { names: RegExp; rooms: string[]; limit: number; imports?: RegExp }> = {
  'aws-account-assignment': {
    names: /^(aws-account-assignment|awsAccountAssignment)$/,
    rooms: ['src/core/kinds/aws-account-assignment.ts', 'src/aws/account-assignment/', 'src/aws/sso/'],
    limit: 6,
  },
  'azure-role-assignment': {
    names: /^(azure-role-assignment|azureRoleAssignment)$/,
    rooms: ['src/core/kinds/azure-role-assignment.ts', 'src/azure/role-assignment/', 'src/azure/arm/'],
    limit: 6,
  },
  'azure-pim-active': {
    names: /^(azure-pim-active|azurePimActive)$/,
    rooms: ['src/core/kinds/azure-pim-active.ts', 'src/azure/pim/'],
    limit: 6,
  },
  // PIM for groups, both its kinds (`azure-group-active`, `azure-group-eligible`): a kind of another
  // shape (no scope, a target form and a manifest section of its own). Outside its rooms: the
  // registries (kinds, types, the Azure adapter's table), its input's, manifest section's and
  // request's doors; its `group:` targets are a key its room adds to the sweep's and report's
  // requests (`SectionTargets`, declared in core/inputs/azure-group-refs.ts). A kind of another shape
  // may cost at most 12; this one is held where it stands, so a new name outside its rooms is seen
  // (its own input, `pim-onboard`, is one row of the inputs kinds and effects own: effect-inputs.ts).
  'azure-pim-group': {
    names:
      /^(azure-group-(active|eligible)|azureGroup\w*|AzureGroup\w*|GroupMembership(Kind|Shape|Type)\w*|GroupPim\w*|groupPim\w*)$/,
    rooms: [
      'src/core/kinds/azure-pim-group.ts',
      'src/core/inputs/azure-group',
      'src/core/manifest/azure-groups.ts',
      'src/azure/group/',
      'src/azure/graph/group-pim',
    ],
    imports: /group-pim|\/azure-pim-group\.js$|(^|\/)group\/|azure-group/,
    limit: 10,
  },
  'aws-permission-set': {
    names: /^(aws-permission-set|awsPermissionSet)$/,
    rooms: [
      'src/core/kinds/aws-permission-set.ts',
      'src/core/permission-sets/',
      'src/aws/permission-sets/',
      'src/core/manifest/permission-sets.ts',
      'src/core/manifest/permission-set-policies.ts',
    ],
    imports: /permission-sets(\/|\.js$)|\/aws-permission-set\.js$/,
    // The registry, its section's types and the AWS section's parser (which says what the section
    // defines, so the manifest's door names no kind), and the AWS kinds' table, whose assignment
    // drivers carry the set's effect on their deletes (its session fences), which gives the sweep
    // the set's upkeep (its expired fences) and the reconcile the sets a manifest defines
    // (its section in AWS_SECTIONS), and the effects' registry of how a row shows them
    // (core/output/effects.ts, listing its session fence): what a kind whose manifest section is its
    // own costs at the most.
    limit: 5,
  },
};

/** The source files outside a kind's rooms that name it. */
function namingKind(kind: string): string[] {
  const { names, rooms, imports } = KIND_ROOMS[kind]!;
  return sourceFiles('src', /\.ts$/)
    .filter((file) => !rooms.some((room) => file.startsWith(room)))
    .filter((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return (
        codeWords(text).some((w) => names.test(w)) ||
        (imports !== undefined && importedPaths(text).some((p) => imports.test(p)))
      );
    })
    .sort();
}

describe('every kind is named outside its rooms in few files', () => {
  for (const kind of Object.keys(KIND_ROOMS))
    it(`${kind}: at most ${KIND_ROOMS[kind]!.limit} source files outside its rooms`, () => {
      const naming = namingKind(kind);
      expect({ kind, naming, count: naming.length <= KIND_ROOMS[kind]!.limit }).toEqual({
        kind,
        naming,
        count: true,
      });
    });

  it('the permission-set kind is named in no operation: they reach it through the engine and the manifest’s door', () => {
    expect(namingKind('aws-permission-set').filter((file) => file.startsWith('src/operations/'))).toEqual([]);
  });

  it('every registered kind is measured', async () => {
    const { KINDS } = await import('../../src/core/kinds/index.js');
    for (const kind of Object.keys(KINDS))
      expect(kind === 'azure-pim-eligible' || kind in KIND_ROOMS || kind.startsWith('azure-group-')).toBe(
        true,
      );
  });
});

/**
 * Every kind and effect counted by its own words (./kind-words.ts): the names its rooms export
 * (imported from them, or through a module that re-exports them), the fields it puts on shared
 * types, its input and manifest keys, and any import from its rooms. `now` is where each stands,
 * held so that a new file naming it is seen; `goal` is where a kind whose parts all live in its section should be: its registrations and the
 * few shared seams, nothing else.
 */
const KIND_WORDS: Record<string, KindWords & { now: number; goal: number }> = {
  'permission-set content': {
    rooms: [
      'src/core/kinds/aws-permission-set.ts',
      'src/core/permission-sets/',
      'src/aws/permission-sets/',
      'src/core/manifest/permission-sets.ts',
      'src/core/manifest/permission-set-policies.ts',
    ],
    words: [
      'aws-permission-set',
      'awsPermissionSet',
      'permission-set-create',
      'permission-set-update',
      'permission-set-delete',
      'inline-policy',
      'aws-managed-policies',
      'customer-managed-policies',
      'permissions-boundary',
      'relay-state',
      'inlinePolicy',
      'inlinePolicies',
      'awsManagedPolicies',
      'customerManagedPolicies',
      'permissionsBoundary',
      'relayState',
      'sessionMinutes',
    ],
    imports: /permission-sets(\/|\.js$)|\/aws-permission-set\.js$/,
    now: 8,
    goal: 8,
  },
  'PIM for groups': {
    rooms: [
      'src/core/kinds/azure-pim-group.ts',
      'src/core/inputs/azure-group',
      'src/core/manifest/azure-groups.ts',
      'src/azure/group/',
      'src/azure/graph/group-pim',
    ],
    // Not `groupMemberships`, a word of AWS's directory too: the table's name is its room's export.
    words: ['pim-onboard', 'pimOnboard'],
    names:
      /^(azure-group-(active|eligible)|azureGroup\w*|AzureGroup\w*|GroupMembership(Kind|Shape|Type)\w*|GroupPim\w*|groupPim\w*)$/,
    imports: /group-pim|\/azure-pim-group\.js$|(^|\/)group\/|azure-group/,
    now: 10,
    goal: 10,
  },
  // The permission-set kind's effect on an assignment's delete: its rooms are the set kind's.
  'session fences': {
    rooms: [
      'src/core/kinds/aws-permission-set.ts',
      'src/core/permission-sets/',
      'src/aws/permission-sets/',
      'src/core/manifest/permission-sets.ts',
      'src/core/manifest/permission-set-policies.ts',
      'src/core/inputs/end-sessions.ts',
    ],
    words: [
      'sessionsEnded',
      'sessionsLiveUntil',
      'fenceError',
      'sessionsWarning',
      'sessionsNotice',
      'expiredFencesRemoved',
      'end-sessions',
      'endSessions',
      'SessionsEnded',
      'FenceRemoved',
    ],
    // The effects' registries (their inputs, core/inputs/effect-inputs.ts; how a row shows them,
    // core/output/effects.ts) list it as one of a list, as the kinds' tables do.
    imports: /session-fence|end-sessions/,
    exporting: [
      'src/core/permission-sets/session-fence.ts',
      'src/core/permission-sets/set-fences.ts',
      'src/core/permission-sets/step-fences.ts',
      'src/aws/permission-sets/session-fences.ts',
      'src/aws/permission-sets/fence-',
      'src/core/inputs/end-sessions.ts',
    ],
    now: 5,
    goal: 6,
  },
};

describe('every kind and effect, counted by its own words, is named in few files outside its rooms', () => {
  for (const [kind, measure] of Object.entries(KIND_WORDS))
    it(`${kind}: ${measure.now} source files outside its rooms (goal: ${measure.goal})`, () => {
      const naming = [...filesNamingKind(measure).entries()].map(([file, why]) => `${file} (${why})`);
      expect({ kind, naming, count: naming.length <= measure.now }).toEqual({ kind, naming, count: true });
    });

  it('a file outside its rooms that imports a kind’s table or reads an effect’s field is counted', () => {
    const probe = 'src/operations/probe.ts';
    const files = [...sourceFiles('src', /\.ts$/), probe];
    const text = (file: string) =>
      file === probe
        ? "import { permissionSetSection } from '../aws/permission-sets/set-kind.js';\nexport const f = (r: { fenceError?: string }) => [permissionSetSection, r.fenceError];"
        : undefined;
    expect(filesNamingKind(KIND_WORDS['permission-set content']!, files, text).get(probe)).toBe(
      'imports permissionSetSection',
    );
    expect(filesNamingKind(KIND_WORDS['session fences']!, files, text).get(probe)).toBe('fenceError');
  });

  it('a comment naming a kind costs nothing', () => {
    const probe = 'src/operations/probe.ts';
    const text = (file: string) =>
      file === probe ? '// fenceError, inlinePolicy\nexport const f = 1;' : undefined;
    const files = [...sourceFiles('src', /\.ts$/), probe];
    expect(filesNamingKind(KIND_WORDS['session fences']!, files, text).has(probe)).toBe(false);
  });
});

describe('one plan path: every kind beside the assignments is a section of a list', () => {
  it('no source names a one-slot table or a second plan path', () => {
    const gone =
      /^(AWS_DEFINITIONS|AWS_SWEEP_UPKEEP|AWS_PROVISIONING|AZURE_OWN_TARGETS|KindPlan|planKind|OwnTargets\w*)$/;
    const naming = sourceFiles('src', /\.ts$/).filter((file) =>
      codeWords(readFileSync(join(ROOT, file), 'utf8')).some((w) => gone.test(w)),
    );
    expect(naming).toEqual([]);
  });
});
