// The action's only way to write to the job log and annotations. Every message passes through
// `inertText`, because most carry text a server sent (failure reasons, error messages, request
// IDs) or an input echoed back, and a line break, a leading `::` or a `##[` anywhere in it would
// let that text issue workflow commands (a log line is written raw). Above all `##[stop-commands]`:
// it would turn off every later `::add-mask::`, and a credential renewed later in the step would
// be shown in clear.
import { inertText } from '../core/inert.js';
import * as commands from './workflow-commands.js';

export const info = (message: string): void => commands.writeLine(inertText(message));
export const debug = (message: string): void => commands.issueCommand('debug', inertText(message));
export const notice = (message: string): void => commands.issueCommand('notice', inertText(message));
export const warning = (message: string): void => commands.issueCommand('warning', inertText(message));
export const error = (message: string): void => commands.issueCommand('error', inertText(message));
export const startGroup = (title: string): void => commands.issueCommand('group', inertText(title));
export const endGroup = (): void => commands.issueCommand('endgroup', '');
/** An `::error::` annotation and a failed step. */
export const setFailed = (message: string): void => {
  process.exitCode = 1;
  error(message);
};
/** A step output; server text in it stays one inert line (workflows interpolate outputs into scripts). */
export const setOutput = (name: string, value: string): void => commands.setOutput(name, inertText(value));

/** A JSON step output, already made inert by `inertJson`. */
export const setJsonOutput = (name: string, json: string): void => commands.setOutput(name, json);
