// Appending to the job summary (GITHUB_STEP_SUMMARY). The HTML is built by core/, every value in it
// escaped there.
import { summary } from '@actions/core';

/** Nothing when the runner gives no file, where @actions/core's summary would throw. */
export async function appendSummary(html: string): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY) await summary.addRaw(html).write();
}
