// A report's outputs as the runner gets them: every value set through the step's one emitter
// (core/output/step.ts emitOutputs), a JSON one as the inert JSON text the runner's effects write
// (github/log.ts setJsonOutput).
import { inertJson } from '../../src/core/inert.js';
import { emitOutputs, type StepReport } from '../../src/core/output/step.js';

/** Each output by name (a later one of the same name wins, as the runner keeps it), and which were set as JSON. */
export function outputsAsSet(report: Pick<StepReport, 'outputs'>): {
  text: Record<string, string>;
  json: Set<string>;
} {
  const text: Record<string, string> = {};
  const json = new Set<string>();
  emitOutputs(report, {
    setOutput: (name, value) => {
      text[name] = value;
      json.delete(name);
    },
    setJsonOutput: (name, value) => {
      text[name] = inertJson(value);
      json.add(name);
    },
  });
  return { text, json };
}
