// `operation: report`'s files: the JSON and the CSV, written to a folder of their own under
// RUNNER_TEMP (the runner empties it after the job; actions/upload-artifact takes the paths the
// outputs give), never into the workspace, where a later step could take them for the repository's.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export async function writeReportFiles(
  json: string,
  csv: string,
  /** The CSV's name: it says when and what was read, as a CSV has no place for it a spreadsheet skips. */
  csvName = 'access-report.csv',
  runnerTemp: string = process.env.RUNNER_TEMP || tmpdir(),
): Promise<{ json: string; csv: string }> {
  const folder = await mkdtemp(join(runnerTemp, 'cloud-access-report-'));
  const paths = { json: join(folder, 'access-report.json'), csv: join(folder, basename(csvName)) };
  await Promise.all([writeFile(paths.json, json, 'utf8'), writeFile(paths.csv, csv, 'utf8')]);
  return paths;
}
