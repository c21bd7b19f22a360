// The runner's side of a step, as the action uses it: its inputs (INPUT_* variables), workflow
// commands on stdout (`::name::message`), and the files it names for outputs, state and the job
// summary (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY). Written to the runner's protocol as
// @actions/core writes it, in a module of its own because importing @actions/core also evaluates
// its OIDC client (@actions/http-client and undici), most of what starting the step used to cost.
// Only ./log.ts writes messages (it makes server text inert first); the rest is for ./state.ts,
// ./job-report.ts, the secrets the action masks, and the entry points.
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';

/** An input as the runner passes it (`INPUT_<NAME>`, spaces as `_`), trimmed; '' when absent. */
export function getInput(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** `%`, CR and LF as the runner decodes them in a command's message. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** As `escapeData`, and `:` and `,`, which end a command property. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow command line: `::name key=value::message`. */
export function issueCommand(name: string, message: string, properties: Record<string, string> = {}): void {
  const props = Object.entries(properties)
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

/** A plain log line (written as is: ./log.ts makes server text inert first). */
export function writeLine(text: string): void {
  process.stdout.write(`${text}${EOL}`);
}

/** Masks `secret` in everything the runner shows from here on. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', secret);
}

/**
 * `name` = `value` in the runner's GITHUB_OUTPUT or GITHUB_STATE file, under a random delimiter
 * that neither contains; without the file, the older `set-output` / `save-state` command.
 */
function setKeyValue(file: 'OUTPUT' | 'STATE', name: string, value: string): void {
  const path = process.env[`GITHUB_${file}`];
  if (!path) {
    if (file === 'OUTPUT') process.stdout.write(EOL);
    issueCommand(file === 'OUTPUT' ? 'set-output' : 'save-state', value, { name });
    return;
  }
  if (!existsSync(path)) throw new Error(`Missing file at path: ${path}`);
  // Web Crypto's, not node:crypto's: loading that module would be most of what the post step's
  // entry costs when it has nothing to do.
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`Unexpected input: the ${file.toLowerCase()} contains the delimiter "${delimiter}"`);
  appendFileSync(path, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

/** A step output (GITHUB_OUTPUT). */
export function setOutput(name: string, value: string): void {
  setKeyValue('OUTPUT', name, value);
}

/** State for this step's post step (GITHUB_STATE), which the runner hands it as `STATE_<name>`. */
export function saveState(name: string, value: string): void {
  setKeyValue('STATE', name, value);
}

/** Appends HTML to the job summary (GITHUB_STEP_SUMMARY); nothing when the runner gives no file. */
export function appendJobSummary(html: string): void {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (path) appendFileSync(path, html, 'utf8');
}
