// The action's only way to write to the job log and annotations, and to set its outputs: through
// @actions/core, after `inertText`. Most messages carry text a server sent (failure reasons, error
// messages, request IDs) or an input echoed back, and @actions/core writes a log line raw and only
// escapes `%`, CR and LF in a command's message: a line break, a leading `::` or a `##[` anywhere
// in it would let that text issue workflow commands. Above all `##[stop-commands]`: it would turn
// off every later `::add-mask::`, and a credential renewed later in the step would be shown in clear.
import * as core from '@actions/core';
import { inertJson, inertText } from '../core/inert.js';

export const info = (message: string): void => core.info(inertText(message));
export const debug = (message: string): void => core.debug(inertText(message));
export const notice = (message: string): void => core.notice(inertText(message));
export const warning = (message: string): void => core.warning(inertText(message));
export const error = (message: string): void => core.error(inertText(message));
export const startGroup = (title: string): void => core.startGroup(inertText(title));
export const endGroup = (): void => core.endGroup();
/** An `::error file=…,line=…::` annotation on a line of a file in the workspace (a manifest's). */
export const errorAt = (message: string, file: string, line: number): void =>
  core.error(inertText(message), { file: inertText(file), startLine: line });
/** A `::warning file=…,line=…::` annotation on a line of a manifest. */
export const warningAt = (message: string, file: string, line: number): void =>
  core.warning(inertText(message), { file: inertText(file), startLine: line });
/**
 * An `::error::` annotation and a failed step. The exit code is set here as well as by
 * @actions/core, so that a stand-in for it (@github/local-action's records the failure and exits 0)
 * never turns a failed step into a passed one.
 */
export const setFailed = (message: string): void => {
  core.setFailed(inertText(message));
  process.exitCode = 1;
};
/** A step output; server text in it stays one inert line (workflows interpolate outputs into scripts). */
export const setOutput = (name: string, value: string): void => core.setOutput(name, inertText(value));

/** A JSON step output, as one inert line (server text in it carries no command, even echoed). */
export const setJsonOutput = (name: string, value: unknown): void => core.setOutput(name, inertJson(value));

/** Masks a credential in everything the runner shows from here on (the adapters get it as `mask`). */
export const mask = (secret: string): void => core.setSecret(secret);
