import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The floors of src/, from the bottom up (CONTRIBUTING.md, "Layout"): each imports only its own
 * folder and the floors below it. The two cloud adapters share a floor and never import each
 * other; each operation is a room of operations/ and imports no other (a request makes its grant through assign's; a review reads through report's); the entries (src/main.ts, post.ts, index.ts) open a step through steps/ and github/ only.
 */
const FLOORS = [
  { floor: 'core', files: ['src/core/**/*.ts'], below: [] },
  { floor: 'engine', files: ['src/engine/**/*.ts'], below: ['core'] },
  { floor: 'github', files: ['src/github/**/*.ts'], below: ['core', 'engine'] },
  { floor: 'aws', files: ['src/aws/**/*.ts'], below: ['core', 'engine'] },
  { floor: 'azure', files: ['src/azure/**/*.ts'], below: ['core', 'engine'] },
  {
    floor: 'operations',
    files: ['src/operations/**/*.ts'],
    below: ['core', 'engine', 'github', 'aws', 'azure'],
  },
  {
    floor: 'steps',
    files: ['src/steps/**/*.ts'],
    below: ['core', 'engine', 'github', 'aws', 'azure', 'operations'],
  },
];
const FOLDERS = ['core', 'engine', 'github', 'aws', 'azure', 'operations', 'steps'];

/** A relative import into one of `folders` (`./x/…`, `../x/…`, `../../x/…`: folder names are unique). */
const into = (folders) => `^(\\.\\.?/)+(${folders.join('|')})/`;
/** From a folder of src/: an entry (src/main.ts, post.ts, index.ts), or anything outside src/. */
const ABOVE = '^(\\.\\./)+((main|post|index)\\.js$|(emulator|scripts|__tests__)/)';

/** Both rules that hold `files` to their floor: one for `import … from`, one for `import()`. */
function floorRules(files, forbidden, message) {
  return {
    files,
    rules: {
      // The TypeScript twin of no-restricted-imports, so that these options do not replace the
      // @actions/core restriction below (a later config replaces a rule's options, never merges them).
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: forbidden.map((regex) => ({ regex, message })) },
      ],
      // no-restricted-imports does not look at import(), with which steps/ loads each adapter.
      // esquery's regular expressions cannot hold a slash, hence \x2F.
      'no-restricted-syntax': [
        'error',
        ...forbidden.map((regex) => ({
          selector: `ImportExpression > Literal.source[value=/${regex.replaceAll('/', '\\x2F')}/]`,
          message,
        })),
      ],
    },
  };
}

/**
 * The rooms of a floor, from the bottom up: each imports only the rooms below it. `''` is the
 * floor's own files: at the bottom in core/ (the vocabulary every stage shares), at the top in
 * aws/ and azure/ (the entries steps/ loads with import()). Rooms are one folder deep.
 */
const ROOMS = {
  core: [
    { room: '', below: [] },
    // A kind of access: its key (and what else is its own), below everything that keys, saves or
    // reports one, and the inputs, which set a grant's kind.
    { room: 'kinds', below: [''] },
    { room: 'inputs', below: ['', 'kinds'] },
    // What a permission set allows, as a manifest defines it: its values checked, its content
    // compared with what was read, whose it is by its tag, and the plan's words for its changes.
    { room: 'permission-sets', below: ['', 'inputs', 'kinds'] },
    { room: 'manifest', below: ['', 'inputs', 'kinds', 'permission-sets'] },
    { room: 'claims', below: ['', 'inputs', 'kinds'] },
    { room: 'state', below: ['', 'inputs', 'kinds'] },
    { room: 'plan', below: ['', 'inputs', 'kinds', 'permission-sets', 'manifest', 'claims', 'state'] },
    // What a step says: its log lines, job summary, outputs and annotations, as data.
    {
      room: 'output',
      below: ['', 'inputs', 'kinds', 'permission-sets', 'manifest', 'claims', 'state', 'plan'],
    },
    {
      room: 'check',
      below: ['', 'inputs', 'kinds', 'permission-sets', 'manifest', 'claims', 'state', 'plan', 'output'],
    },
    // The snapshot a reconcile or report keeps between runs, and what CloudTrail's delta touched.
    { room: 'snapshot', below: [''] },
    // Who last used a grant: CloudTrail's sign-ins read and joined with a report's rows.
    { room: 'usage', below: [''] },
  ],
  engine: [
    { room: 'limits', below: [] },
    { room: 'calls', below: ['limits'] },
    // The audit log's records and its write-once rule: every room that writes records through it.
    { room: 'audit', below: ['limits', 'calls'] },
    { room: 'run', below: ['limits', 'calls', 'audit'] },
  ],
  // One room per operation: its step (index.ts) and its own check, plan, apply and report, importing
  // no other operation but one: an allowed request makes its grant through assign's pipeline. The
  // floor's own files are what several share (the runner, OU targets).
  operations: [
    { room: '', below: [] },
    { room: 'assign', below: [''] },
    { room: 'provision', below: [''] },
    { room: 'reconcile', below: [''] },
    { room: 'sweep', below: [''] },
    { room: 'report', below: [''] },
    { room: 'request', below: ['', 'assign'] },
    { room: 'revoke-on-exit', below: [''] },
    // A review reads who holds what as a report does: its read (report/index.ts's `readAccess`).
    { room: 'review', below: ['', 'report'] },
  ],
  azure: [
    { room: 'sdk', below: [] },
    { room: 'graph', below: ['sdk'] },
    { room: 'arm', below: ['sdk', 'graph'] },
    { room: 'pim', below: ['sdk', 'graph', 'arm'] },
    // What every kind's module is given: the interfaces it implements for a reconcile and a report,
    // and the names its rows are shown by (principals, roles, targets).
    { room: 'kind', below: ['sdk', 'graph', 'arm', 'pim'] },
    // The PIM eligibility kind's adapter, in one room: its driver, writes, reads, policy, reconcile
    // and report reads.
    { room: 'eligible', below: ['sdk', 'graph', 'arm', 'pim', 'kind'] },
    // The role assignment kind's own: the run markers its descriptions carry, and the claims on
    // one a reconcile would delete (those markers, or the PIM schedule that made it).
    { room: 'role-assignment', below: ['sdk', 'graph', 'arm', 'pim', 'kind'] },
    // The membership of an Entra group through PIM for groups: its reads with the requests that
    // made them, how a report holds one, a reconcile's and a sweep's parts of it.
    { room: 'group', below: ['sdk', 'graph', 'arm', 'pim', 'kind'] },
    // A reconcile's plan of every kind: the manifest's rows it wants, and the writes that make them.
    { room: 'plan', below: ['sdk', 'graph', 'arm', 'pim', 'kind'] },
    // A report's reads of every kind: the places it reads, the assignments there and what holds them.
    { room: 'report', below: ['sdk', 'graph', 'arm', 'pim', 'kind', 'eligible', 'role-assignment'] },
    // What a sweep tidies on a description it keeps: the ended runs' reliance markers.
    { room: 'sweep', below: ['sdk', 'graph', 'arm', 'pim'] },
    {
      room: '',
      below: [
        'sdk',
        'graph',
        'arm',
        'pim',
        'kind',
        'eligible',
        'role-assignment',
        'group',
        'plan',
        'report',
        'sweep',
      ],
    },
  ],
  aws: [
    { room: 'sdk', below: [] },
    { room: 'directory', below: ['sdk'] },
    { room: 'trail', below: ['sdk', 'directory'] },
    { room: 'sso', below: ['sdk', 'directory', 'trail'] },
    // The account assignments read whole (by place or by principal) and named, and the accounts
    // targets stand for: what a reconcile plans from, a report lists and a sweep names.
    { room: 'reads', below: ['sdk', 'directory', 'trail', 'sso'] },
    // A defined permission set's content, read back in 6 calls, written, and provisioned per
    // account over the session; `operation: provision`'s re-provisioning and its records.
    { room: 'permission-sets', below: ['sdk', 'directory', 'trail', 'sso', 'reads'] },
    // A manifest's `aws` section resolved and multiplied out, and what it manages: what a
    // reconcile plans from and a report tells the manifest's rows by.
    { room: 'manifest', below: ['sdk', 'directory', 'trail', 'sso', 'reads'] },
    // The account assignment kind's own: the claims on one (CloudTrail's history of its writes),
    // its history for a report, its claims by name.
    { room: 'account-assignment', below: ['sdk', 'directory', 'trail', 'sso', 'reads', 'manifest'] },
    // The snapshot a reconcile keeps in S3, and its read brought up to date from CloudTrail.
    { room: 'snapshot', below: ['sdk', 'directory', 'trail', 'sso', 'reads', 'manifest'] },
    // Who signed in with which grant: CloudTrail's GetRoleCredentials in every Region of the instance.
    { room: 'usage', below: ['sdk', 'directory', 'trail', 'sso'] },
    {
      room: '',
      below: [
        'usage',
        'sdk',
        'directory',
        'trail',
        'sso',
        'reads',
        'permission-sets',
        'manifest',
        'account-assignment',
        'snapshot',
      ],
    },
  ],
};

/**
 * A room's own model, one folder inside it (`model/`): the pure words its stages build on, which
 * import nothing of the room or its floor, only the floors named. The review's: its reviewers
 * file, rows and their IDs, decisions read from comments, outcomes at the due date, the campaign
 * issue's text, the grants a due date revokes and a manifest's text with removed rows taken out,
 * over core/ and the shape github/ reads a comment in.
 */
const MODELS = [{ floor: 'operations', room: 'review', below: ['core', 'github'] }];

/** The rules of a room's model: nothing of its room (`../x`), its floor (`../../x`) or the floors not below it. */
function modelRules({ floor, room, below }) {
  const above = FOLDERS.filter((folder) => !below.includes(folder));
  return floorRules(
    [`src/${floor}/${room}/model/**/*.ts`],
    [into(above), ABOVE, '^\\.\\./[^.]', '^\\.\\./\\.\\./[^.]'],
    `src/${floor}/${room}/model/ imports only itself and ${below.map((b) => `${b}/`).join(', ')}: the room's stages build on it, never it on them (CONTRIBUTING.md, "Layout")`,
  );
}

/** What a file of `floor` may not import: the floors not below it, and anything above src/'s folders. */
function outsideOf(floor) {
  const { below } = FLOORS.find((f) => f.floor === floor);
  const others = FOLDERS.filter((folder) => folder !== floor && !below.includes(folder));
  return [...(others.length ? [into(others)] : []), ABOVE];
}

const floorMessage = (floor, below) =>
  `src/${floor}/ imports only its own folder and ${below.length ? below.join(', ') : 'nothing of ours'} (CONTRIBUTING.md, "Layout")`;

/** The rules of one room: its floor's, and no import of a room not below it. */
function roomRules(floor, { room, below }) {
  const rooms = ROOMS[floor].map((r) => r.room);
  const notBelow = rooms.filter((r) => r !== room && !below.includes(r));
  const folders = notBelow.filter(Boolean);
  const up = room ? '^\\.\\./' : '^\\./';
  const forbidden = [
    ...(folders.length ? [`${up}(${folders.join('|')})/`] : []),
    // A room's import of the floor's own files, when those are above it.
    ...(room && notBelow.includes('') ? ['^\\.\\./[^/]+\\.js$'] : []),
  ];
  const files = room ? [`src/${floor}/${room}/**/*.ts`] : [`src/${floor}/*.ts`];
  const within = below.map((r) => (r ? `${r}/` : `${floor}/'s own files`));
  const what = room
    ? `src/${floor}/${room}/ imports, of ${floor}/, only itself${within.length ? ` and ${within.join(', ')}` : ''}`
    : `src/${floor}/'s own files import, of ${floor}/, only each other${within.length ? ` and ${within.join(', ')}` : ''}`;
  return floorRules(
    files,
    [...outsideOf(floor), ...forbidden],
    `${what}; beyond it, the floors below ${floor}/ (CONTRIBUTING.md, "Layout")`,
  );
}

/**
 * The rooms of emulator/'s two clouds, from the bottom up (CONTRIBUTING.md, "Layout"), as src/'s:
 * each imports only the rooms below it, and `''` (index.ts, the cloud's emulator interface, its
 * seeds) any of them.
 * aws/: the services share SigV4 and the answers every AWS service gives alike (protocol/), the
 * account (its state, config, and the record CloudTrail keeps of a call) and the awsJson pipeline
 * (json/); SSO Admin's assignment writes record CloudTrail history, so cloudtrail/ sits below sso-admin/.
 * azure/: the services share the tenant (its state, config, scopes, roles and directory) and REST's
 * answers (errors, OData filters, pages); ARM's gateway routes PIM's resource types, so pim/ sits
 * below arm/.
 */
const EMULATOR_ROOMS = {
  aws: [
    { room: 'protocol', below: [] },
    { room: 'account', below: ['protocol'] },
    { room: 'json', below: ['protocol', 'account'] },
    { room: 'sts', below: ['protocol', 'account'] },
    { room: 'iam', below: ['protocol', 'account'] },
    { room: 'access-analyzer', below: ['protocol', 'account'] },
    { room: 'organizations', below: ['protocol', 'account'] },
    { room: 'identity-store', below: ['protocol', 'account', 'json'] },
    { room: 'cloudtrail', below: ['protocol', 'account', 'json'] },
    { room: 'sso-admin', below: ['protocol', 'account', 'json', 'cloudtrail'] },
    { room: 's3', below: ['protocol', 'account'] },
    {
      room: '',
      below: [
        'protocol',
        'account',
        'json',
        'sts',
        'iam',
        'access-analyzer',
        'organizations',
        'identity-store',
        'cloudtrail',
        'sso-admin',
        's3',
      ],
    },
  ],
  azure: [
    { room: 'server', below: [] },
    { room: 'tenant', below: [] },
    { room: 'rest', below: ['tenant'] },
    { room: 'entra', below: ['tenant', 'rest'] },
    // graph/ reads PIM's ISO 8601 durations (pim/iso-duration.ts) for PIM for groups.
    { room: 'graph', below: ['tenant', 'rest', 'pim'] },
    { room: 'pim', below: ['tenant', 'rest'] },
    { room: 'arm', below: ['tenant', 'rest', 'entra', 'pim'] },
    { room: '', below: ['server', 'tenant', 'rest', 'entra', 'graph', 'pim', 'arm'] },
  ],
};

/** The tests are no program's library: the emulator and the scripts share the runner harness in harness/. */
const NOT_TESTS = '^(\\.\\./)+__tests__/';
/** emulator/ is a program of its own: nothing of src/, scripts/ or the tests. */
const OUTSIDE_EMULATOR = [NOT_TESTS, '^(\\.\\./)+(src|scripts)/'];

/** The rules of one room of emulator/'s `cloud`: the emulator's, and no import of a room not below it. */
function emulatorRoomRules(cloud, { room, below }) {
  const notBelow = EMULATOR_ROOMS[cloud].map((r) => r.room).filter((r) => r !== room && !below.includes(r));
  const folders = notBelow.filter(Boolean);
  const up = room ? '^\\.\\./' : '^\\./';
  // Beyond the cloud's folder: emulator/common/ only, never the other services or the emulator's own files.
  const emulator = room ? '^\\.\\./\\.\\./' : '^\\.\\./';
  const others = ['aws', 'azure', 'github'].filter((service) => service !== cloud);
  const forbidden = [
    ...OUTSIDE_EMULATOR,
    `${emulator}(${others.join('|')})/`,
    `${emulator}[^/]+\\.js$`,
    ...(folders.length ? [`${up}(${folders.join('|')})/`] : []),
    ...(room && notBelow.includes('') ? ['^\\.\\./[^/]+\\.js$'] : []),
  ];
  const files = room ? [`emulator/${cloud}/${room}/**/*.ts`] : [`emulator/${cloud}/*.ts`];
  const within = below.map((r) => (r ? `${r}/` : `${cloud}/'s own files`));
  const what = room
    ? `emulator/${cloud}/${room}/ imports, of ${cloud}/, only itself${within.length ? ` and ${within.join(', ')}` : ''}`
    : `emulator/${cloud}/'s own files import, of ${cloud}/, only each other and ${within.join(', ')}`;
  return floorRules(files, forbidden, `${what}; beyond it, emulator/common/ (CONTRIBUTING.md, "Layout")`);
}

const layering = [
  ...FLOORS.map(({ floor, files, below }) => floorRules(files, outsideOf(floor), floorMessage(floor, below))),
  // After the floors' own: a later config replaces a rule's options, so each room's repeats its floor's.
  ...Object.entries(ROOMS).flatMap(([floor, rooms]) => rooms.map((room) => roomRules(floor, room))),
  // After the rooms': a model's rule replaces its room's.
  ...MODELS.map(modelRules),
  floorRules(
    ['src/*.ts'],
    [into(['core', 'engine', 'aws', 'azure']), '^\\.\\./'],
    'an entry imports only steps/, github/ and the other entries (CONTRIBUTING.md, "Layout")',
  ),
  floorRules(
    ['emulator/**/*.ts'],
    OUTSIDE_EMULATOR,
    'emulator/ imports nothing of src/, scripts/ or __tests__/',
  ),
  ...Object.entries(EMULATOR_ROOMS).flatMap(([cloud, rooms]) =>
    rooms.map((room) => emulatorRoomRules(cloud, room)),
  ),
  floorRules(
    ['scripts/**/*.ts', 'scripts/**/*.mjs'],
    [NOT_TESTS],
    'scripts/ imports nothing of __tests__/: what scripts and tests share lives in harness/',
  ),
  floorRules(
    ['harness/**/*.ts'],
    [NOT_TESTS, '^(\\.\\./)+(src|scripts|emulator)/'],
    'harness/, which scripts and tests share, imports nothing of __tests__/, scripts/, emulator/ or src/',
  ),
];

export default tseslint.config(
  // .scratch/ and .emulator/ (git ignores them): what the tests and the emulator's commands make and
  // remove (temporary files, Node's compile cache) while .ci/run's lint walks the tree beside the tests.
  { ignores: ['dist/**', 'node_modules/**', 'build/**', 'coverage/**', '.scratch/**', '.emulator/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Log lines, annotations and outputs carry text servers sent: they go through src/github/log.ts,
    // which makes that text inert (@actions/core writes a log line raw, and a line break in it
    // would let a server issue workflow commands). Elsewhere @actions/core is imported by name (these
    // rules refuse `* as`): inputs, state, masking and the job summary.
    files: ['src/**/*.ts'],
    ignores: ['src/github/log.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@actions/core',
              importNames: [
                'info',
                'debug',
                'notice',
                'warning',
                'error',
                'startGroup',
                'endGroup',
                'group',
                'setFailed',
                'setOutput',
              ],
              message: 'use src/github/log.ts, which makes server text inert',
            },
            {
              name: '@actions/core',
              importNames: ['getIDToken'],
              message:
                "use src/github/oidc.ts: @actions/core's OIDC client would load @actions/http-client and undici at every start",
            },
          ],
        },
      ],
    },
  },
  ...layering,
  {
    // Files under ~300 lines (CONTRIBUTING.md), in src/, in the two programs beside it and in the
    // harness they share with the tests: past that a file holds more than one idea, and its seam is
    // where it splits. Blank lines and comments do not count: a why is never cut to fit.
    files: ['src/**/*.ts', 'emulator/**/*.ts', 'scripts/**/*.ts', 'scripts/**/*.mjs', 'harness/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Functions under 80 lines in src/, in the two programs beside it and in the harness they share
    // with the tests (CONTRIBUTING.md): a longer one does several things in a row, and each is a
    // function with a name (a stage, a route's handler, a bench's report section). Blank lines and
    // comments do not count.
    files: ['src/**/*.ts', 'emulator/**/*.ts', 'scripts/**/*.ts', 'scripts/**/*.mjs', 'harness/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
);
