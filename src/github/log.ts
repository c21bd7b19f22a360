// The action's only way to write to the job log and annotations. Every message passes through
// `inertText`, because most carry text a server sent (failure reasons, error messages, request
// IDs) and a line break in it would let that text issue workflow commands (core.info writes raw).
import * as core from '@actions/core';
import { inertText } from '../core/inert.js';

export const info = (message: string): void => core.info(inertText(message));
export const debug = (message: string): void => core.debug(inertText(message));
export const warning = (message: string): void => core.warning(inertText(message));
export const error = (message: string): void => core.error(inertText(message));
export const startGroup = (title: string): void => core.startGroup(inertText(title));
export const endGroup = (): void => core.endGroup();
/** An `::error::` annotation and a failed step. */
export const setFailed = (message: string): void => core.setFailed(inertText(message));
/** A step output; server text in it stays one inert line (workflows interpolate outputs into scripts). */
export const setOutput = (name: string, value: string): void => core.setOutput(name, inertText(value));

/** A JSON step output, already made inert by `inertJson`. */
export const setJsonOutput = (name: string, json: string): void => core.setOutput(name, json);
