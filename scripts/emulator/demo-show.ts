// How `npm run demo` prints a step: its log as a workflow log shows it, its job summary as text,
// its `results` output pretty-printed; bold only on a terminal.
import type { StepRun } from '../../harness/action-runner.js';

/** Bold only on a terminal, and not when NO_COLOR is set (https://no-color.org): piped output stays plain text. */
const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
export const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** The job summary's HTML as readable text: a line per heading, paragraph and table row (cells joined by `|`). */
function summaryAsText(html: string): string[] {
  return html
    .replace(/<\/t[hd]>\s*<t[hd][^>]*>/gi, ' | ')
    .replace(/<(br|\/?(p|h\d|tr|table|thead|tbody|ul|ol|li|details|summary|div|pre))\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e]!)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** One step's job summary, as text, and (unless `results: false`) its `results` output, pretty-printed. */
export function showSummaryAndResults(step: StepRun, { results: withResults = true } = {}): void {
  console.log(`  job summary (rendered as text):`);
  for (const line of summaryAsText(step.summary)) console.log(`    ${line}`);
  if (!withResults) return;
  console.log('  outputs.results:');
  const results = step.outputs.results ?? '[]';
  let pretty: string;
  try {
    pretty = JSON.stringify(JSON.parse(results), null, 2);
  } catch {
    pretty = results;
  }
  for (const line of pretty.split('\n')) console.log(`    ${line}`);
}

/** An output as one line of a terminal: a long one (`policy-checks`' JSON) cut, its length said. */
const shortened = (value: string) =>
  value.length > 240 ? `${value.slice(0, 200)}… (${value.length} characters)` : value;

/** A step's log as a workflow log shows it; `brief`: each grant's group by its title line only. */
export function show(title: string, step: StepRun, { brief = false } = {}): void {
  console.log(`\n${bold(`▶ ${title}`)}  (exit ${step.exitCode}, ${step.durationMs} ms)`);
  let inGroup = false;
  for (const line of step.stdout.split('\n')) {
    if (line.startsWith('::group::')) inGroup = true;
    else if (line.startsWith('::endgroup::')) inGroup = false;
    else if (brief && inGroup) continue;
    if (
      !line ||
      line.startsWith('::debug::') ||
      line.startsWith('::add-mask::') ||
      line.startsWith('::endgroup::')
    )
      continue;
    console.log(
      `  ${line.replace(/^::group::/, '▸ ').replace(/^::(error|warning)::/, (_, k: string) => `${k.toUpperCase()}: `)}`,
    );
  }
  const outputs = Object.entries(step.outputs).filter(([k]) => k !== 'results');
  console.log(`  outputs: ${outputs.map(([k, v]) => `${k}=${shortened(v) || '""'}`).join('  ')}`);
  if (step.exitCode !== 0) process.exitCode = 1;
}
