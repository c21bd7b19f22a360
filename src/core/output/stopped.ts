// Where a step stopped before it asked the cloud anything, as the checks find it (core/check/, each
// operation's own check), and the report it ends with. The checks return the stop as data and the
// step says it where it says everything else, at its end. Pure.
import type { CloudAccessError } from '../errors.js';
import { escapeHtmlWithCode } from '../inert.js';
import type { ManifestProblem } from '../manifest/nodes.js';
import { checksHtml, withChecksOutputs, type PlanChecks } from './plan-checks.js';
import { runHeaderHtml, type RunHeader } from './run-header.js';
import { stoppedBeforeAnyGrant, type StepReport } from './step.js';

/** A file's problems at their lines, under a headline that says what was not done. */
export interface ProblemsAtLines {
  /** What the file is to the step, as its failure says it: `manifest`, `access policy`, `reviewers file`. */
  what: 'manifest' | 'access policy' | 'reviewers file';
  file: string;
  problems: ManifestProblem[];
  headline: string;
  /** What the plan proved of its changes before one of those checks stopped it: its outputs and summary still said. */
  checks?: readonly PlanChecks[];
}

/** Why a step stops before any request. */
export type Stopped =
  /** An input, the event or a file refused: `…: refused`. */
  | { refused: CloudAccessError[] }
  /** A manifest's or a policy's problems, each on its line: `…: invalid manifest`, `…: invalid access policy`. */
  | { invalid: ProblemsAtLines }
  /** A fork's pull request, checked as far as it can be: its plan is skipped, which is no failure. */
  | { skipped: string };

/** The report of a step that stopped, under the run's header (`header`: the step's own, headerOf). */
export function stoppedReport(stopped: Stopped, header: RunHeader): StepReport {
  if ('refused' in stopped) return stoppedBeforeReading(stopped.refused, header);
  if ('invalid' in stopped) return stoppedAtLines(stopped.invalid, header);
  return {
    annotations: [{ level: 'notice', message: stopped.skipped }],
    summaryHtml: `${runHeaderHtml({ ...header, title: `${header.title}: plan skipped` })}\n<p>${escapeHtmlWithCode(stopped.skipped)}.</p>\n`,
  };
}

/**
 * The step stops before any request (or, `headline`, before any write): each problem an error
 * annotation, every output set, the step failed.
 */
export function stoppedBeforeReading(
  problems: CloudAccessError[],
  header: RunHeader,
  headline = 'nothing was requested from the cloud',
): StepReport {
  const described = problems.map((p) => p.describe());
  return {
    annotations: described.map((message) => ({ level: 'error', message })),
    ...stoppedBeforeAnyGrant(described, headline, {
      ...header,
      title: `${header.title}: refused`,
    }),
  };
}

/** Every problem as an annotation on its line, then the step's failure, before any write. */
export function stoppedAtLines(
  { what, file, problems, headline, checks = [] }: ProblemsAtLines,
  header: RunHeader,
): StepReport {
  const described = problems.map(
    (p) => `${p.file ?? file}:${p.line}: ${p.message}${p.fix ? `: ${p.fix}` : ''}`,
  );
  const stopped = stoppedBeforeAnyGrant(
    described,
    `${problems.length} problem(s) in the ${what}: ${headline}`,
    {
      ...header,
      title: `${header.title}: invalid ${what}`,
    },
  );
  const proven = checksHtml(checks);
  return {
    annotations: problems.map((p, i) => ({
      level: 'error',
      message: described[i]!,
      at: { file: p.file ?? file, line: p.line },
    })),
    ...stopped,
    outputs: withChecksOutputs(stopped.outputs ?? [], checks),
    ...(proven.length > 0 ? { summaryHtml: `${stopped.summaryHtml ?? ''}${proven.join('\n')}\n` } : {}),
  };
}
