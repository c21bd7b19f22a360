// Finds secrets a step let through to where people can read them, the way the Actions runner
// would show them. The runner masks its log (stdout and stderr, line by line, in arrival order)
// with every value registered through `::add-mask::` (or the legacy `##[add-mask]`) so far, and
// with the value's common encodings; it does not mask GITHUB_OUTPUT, GITHUB_STATE or
// GITHUB_STEP_SUMMARY, whose contents reach outputs, the post step and the job summary as written.
// Which lines are commands is decided as the runner decides it (runnerCommand, below). Pure: no I/O.

/** What a step wrote, as the runner received it. */
export interface StepTranscript {
  /** Lines of stdout and stderr, in the order they arrived. */
  log: string[];
  /** File-command files by name (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY), raw. */
  files: Record<string, string>;
}

export interface SecretLeak {
  /** `log` or the file's name. */
  where: string;
  /** 1-based line in the log or the file. */
  line: number;
  /** Which secret (index into the list given), and what of it appeared. */
  secret: number;
  form: 'value' | 'URL-encoded' | 'JSON-escaped' | 'base64' | 'JWT signature';
  /** The line, with every secret in it replaced by `<secret N>`, so a report never repeats one. */
  excerpt: string;
}

/** Parts shorter than this are not searched for alone (they could occur by chance). */
const MIN_PART_LENGTH = 16;
const JWT = /^[\w-]+\.[\w-]+\.([\w-]+)$/;

/** Encodings of a value that the runner's masker also masks (its value encoders). */
function encodings(value: string): { form: SecretLeak['form']; text: string }[] {
  const forms: { form: SecretLeak['form']; text: string }[] = [
    { form: 'value', text: value },
    { form: 'URL-encoded', text: encodeURIComponent(value) },
    { form: 'JSON-escaped', text: JSON.stringify(value).slice(1, -1) },
    { form: 'base64', text: Buffer.from(value, 'utf8').toString('base64').replace(/=+$/, '') },
  ];
  return forms.filter((f, i) => f.text && forms.findIndex((g) => g.text === f.text) === i);
}

/** What counts as an appearance of a secret: the value, its encodings, and distinctive parts. */
function needles(secret: string): { form: SecretLeak['form']; text: string }[] {
  const found = encodings(secret);
  const signature = JWT.exec(secret)?.[1];
  // A JWT's header is the same for every token of an issuer and its payload is the claims (which
  // the action may log decoded); the signature is what makes it a credential.
  if (signature && signature.length >= MIN_PART_LENGTH)
    found.push({ form: 'JWT signature', text: signature });
  return found;
}

/**
 * The commands the runner registers (its ActionCommandManager: the command extensions and
 * `stop-commands`), lower case: it compares names without regard to case.
 */
export const RUNNER_COMMANDS: ReadonlySet<string> = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
]);

/** A line the runner reads as a command: its name (lower case), its data unescaped, and the form. */
export interface RunnerCommand {
  name: string;
  data: string;
  form: '::' | '##[';
}

/** The runner's unescaping of a `::` command's data (`%0D`, `%0A`, `%25`, in that order). */
function commandData(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** The runner's unescaping of a legacy `##[` command's data (`%3B`, `%0D`, `%0A`, `%5D`, `%25`). */
function legacyData(value: string): string {
  return value
    .replace(/%3B/g, ';')
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%5D/g, ']')
    .replace(/%25/g, '%');
}

/** `::name props::data` or `##[name props]data`: the name, if `registered` has it, and the data. */
function commandAt(
  line: string,
  start: number,
  prefix: '::' | '##[',
  registered: ReadonlySet<string>,
): RunnerCommand | undefined {
  const end = line.indexOf(prefix === '::' ? '::' : ']', start + prefix.length);
  if (end < 0) return undefined;
  const name = line
    .slice(start + prefix.length, end)
    .split(' ')[0]!
    .toLowerCase();
  if (!registered.has(name)) return undefined;
  const data = line.slice(end + (prefix === '::' ? 2 : 1));
  return { name, form: prefix, data: prefix === '::' ? commandData(data) : legacyData(data) };
}

/**
 * What the runner makes of one line of a step's output: a `::` command when the line starts with
 * one (after leading white space) whose name is registered; failing that, a legacy command at the
 * line's first `##[`, wherever it is, if its name is registered; otherwise undefined (plain text).
 * So `::warning::… ##[add-mask]x` is a warning, and `text ##[add-mask]x` registers `x`.
 */
export function runnerCommand(
  line: string,
  registered: ReadonlySet<string> = RUNNER_COMMANDS,
): RunnerCommand | undefined {
  const trimmed = line.trimStart();
  const current = trimmed.startsWith('::') ? commandAt(trimmed, 0, '::', registered) : undefined;
  if (current) return current;
  const legacy = line.indexOf('##[');
  return legacy < 0 ? undefined : commandAt(line, legacy, '##[', registered);
}

/**
 * Every registered command name after a `##[` anywhere in `line`, the first `##[` or not: stricter
 * than the runner (which reads only the first, and only in a line that is not a `::` command), since
 * text shown inside an annotation or an output can reach a line of its own when a workflow echoes it.
 */
export function legacyCommandNames(line: string): string[] {
  return [...line.matchAll(/##\[([^\] ]*)/g)]
    .map((m) => m[1]!.toLowerCase())
    .filter((name) => RUNNER_COMMANDS.has(name));
}

const replaceAll = (line: string, text: string, by: string) => line.split(text).join(by);

/**
 * Every place where one of `secrets` appears unmasked. In the log, an add-mask command (either
 * form) registers its value from that line on, and the command line itself is not shown, so it is
 * no leak. A stop-commands command (either form) turns command processing off until a line that
 * is a command named by its token (`::TOKEN::` or `##[TOKEN]`), as the runner does: while off,
 * add-mask registers nothing and its line is shown as text, so a secret in it is a leak, and so is
 * every later appearance of that secret. An empty token is never matched (older runners then stay
 * stopped for the rest of the step; newer ones refuse it: the scan takes the stricter reading). In
 * the files, any appearance is a leak.
 */
export function findSecretLeaks(transcript: StepTranscript, secrets: readonly string[]): SecretLeak[] {
  const wanted = secrets
    .map((value, index) => ({ index, value, needles: needles(value) }))
    .filter((s) => s.value.trim() !== '');
  // Longest first, so a secret that contains another is reported (and redacted) as itself.
  const bySize = [...wanted].sort((a, b) => b.value.length - a.value.length);
  const redact = (line: string) => {
    let out = line;
    for (const s of bySize) for (const n of s.needles) out = replaceAll(out, n.text, `<secret ${s.index}>`);
    return out;
  };
  const leaks: SecretLeak[] = [];
  const search = (where: string, line: number, text: string) => {
    for (const s of wanted) {
      const hit = s.needles.find((n) => text.includes(n.text));
      if (hit) leaks.push({ where, line, secret: s.index, form: hit.form, excerpt: redact(text) });
    }
  };

  const masks: string[] = [];
  let stopToken: string | undefined;
  // The runner ends a line at CR as well as LF: a log entry may hold several of its lines.
  const lines = transcript.log.flatMap((entry, i) =>
    entry
      .replace(/\r$/, '')
      .split('\r')
      .map((line) => ({ line, at: i + 1 })),
  );
  lines.forEach(({ line, at }) => {
    if (stopToken !== undefined) {
      const token = stopToken.toLowerCase();
      const command = token ? runnerCommand(line, new Set([...RUNNER_COMMANDS, token])) : undefined;
      if (command?.name === token) stopToken = undefined;
    } else {
      const command = runnerCommand(line);
      if (command?.name === 'add-mask') {
        if (command.data.trim()) masks.push(...encodings(command.data).map((e) => e.text));
        masks.sort((a, b) => b.length - a.length);
        return;
      }
      if (command?.name === 'stop-commands') stopToken = command.data;
    }
    let shown = line;
    for (const mask of masks) shown = replaceAll(shown, mask, '***');
    search('log', at, shown);
  });

  for (const [name, content] of Object.entries(transcript.files)) {
    content.split('\n').forEach((line, i) => search(name, i + 1, line));
  }
  return leaks;
}

/** One line per leak, naming the secret by its index and length, never by its value. */
export function describeLeaks(leaks: SecretLeak[], secrets: readonly string[]): string {
  return leaks
    .map(
      (l) =>
        `${l.where}:${l.line}: secret ${l.secret} (${secrets[l.secret]?.length ?? 0} chars) as ${l.form}: ${l.excerpt}`,
    )
    .join('\n');
}
