// A manifest's problems at their lines, and a value looked up in the cloud at its line: what the
// adapters need of the manifest while they resolve it, in a file without the YAML parser, which a
// step that reads no manifest (an assign) must not load. Pure.
import { CloudAccessError } from '../errors.js';

export interface ManifestProblem {
  /** 1-based line in the manifest file, or in `file`. */
  line: number;
  /** The file the line is in, when it is not the manifest (a file it names: an inline policy's). */
  file?: string;
  message: string;
  fix?: string;
}

/**
 * A manifest's value looked up in the cloud (`lookUp`), at its line and key path: the cloud's
 * refusal (a CloudAccessError: a name not found, several found) is a problem there, with its fix,
 * and the value is undefined; any other failure is the step's.
 */
export async function lookedUpAt<T>(
  at: { line: number; path: string },
  problems: ManifestProblem[],
  lookUp: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await lookUp();
  } catch (error) {
    if (!(error instanceof CloudAccessError)) throw error;
    problems.push({
      line: at.line,
      message: `\`${at.path}\`: ${error.message}`,
      ...(error.fix ? { fix: error.fix } : {}),
    });
    return undefined;
  }
}
