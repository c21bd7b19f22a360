// Finds secrets a step let through to where people can read them, the way the Actions runner
// would show them. The runner masks its log (stdout and stderr, line by line, in arrival order)
// with every value registered through `::add-mask::` so far, and with the value's common
// encodings; it does not mask GITHUB_OUTPUT, GITHUB_STATE or GITHUB_STEP_SUMMARY, whose contents
// reach outputs, the post step and the job summary as written. A pure function: no I/O.

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

/** The runner's unescaping of a command's data (`%25`, `%0D`, `%0A`). */
function commandData(value: string): string {
  return value.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

const replaceAll = (line: string, text: string, by: string) => line.split(text).join(by);

/**
 * Every place where one of `secrets` appears unmasked. In the log, `::add-mask::VALUE` registers
 * VALUE from that line on (the command line itself is masked by the runner, so it is no leak);
 * `::stop-commands::TOKEN` … `::TOKEN::` turns command processing off, add-mask included, as the
 * runner does. In the files, any appearance is a leak.
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
  transcript.log.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (stopToken !== undefined) {
      if (line === `::${stopToken}::`) {
        stopToken = undefined;
        return;
      }
    } else {
      const command = /^::([\w-]+)(?: [^:]*)?::(.*)$/.exec(line);
      if (command?.[1] === 'add-mask') {
        const value = commandData(command[2]!);
        if (value.trim()) masks.push(...encodings(value).map((e) => e.text));
        masks.sort((a, b) => b.length - a.length);
        return;
      }
      if (command?.[1] === 'stop-commands' && command[2]) stopToken = command[2];
    }
    let shown = line;
    for (const mask of masks) shown = replaceAll(shown, mask, '***');
    search('log', i + 1, shown);
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
