// What each manifest a report is given lists, as a reconcile expands it (./expansion.ts): the
// assignments its entries ask for where its `manages` covers, by key, with the path and line that
// ask for each. What does not resolve is a warning; the report goes on without it.
import { describeError } from '../../core/errors.js';
import type { AwsManifestSection } from '../../core/manifest/types.js';
import type { AdapterDeps } from '../../engine/calls/driver.js';
import type { ReportManifest } from '../../engine/run/access-reader.js';
import type { SsoSession } from '../sso/session.js';
import { AwsSectionExpansion } from './expansion.js';

/** What each manifest's `aws` section lists within what it manages, by assignment key: its path and line. */
export async function manifestEntries(
  manifests: ReportManifest<AwsManifestSection>[],
  session: SsoSession,
  deps: Pick<AdapterDeps, 'deadline' | 'signal' | 'debug' | 'activity'>,
  notes: string[],
  warnings: string[],
): Promise<Map<string, { path: string; line: number }>> {
  const listed = new Map<string, { path: string; line: number }>();
  for (const { path, section } of manifests) {
    const expansion = new AwsSectionExpansion(section, session, deps);
    try {
      const expanded = await expansion.expand();
      for (const p of expanded.problems)
        warnings.push(`${path}:${p.line}: ${p.message}${p.fix ? `: ${p.fix}` : ''}`);
      let count = 0;
      for (const d of expanded.desired)
        if (d.managed && !listed.has(d.key)) {
          listed.set(d.key, { path, line: d.line });
          count++;
        }
      notes.push(`${path}: ${count} assignment(s) listed where its \`manages\` covers`);
    } catch (error) {
      warnings.push(
        `${path} could not be resolved against the instance (${describeError(error)}): its assignments are not told as the manifest's`,
      );
    }
  }
  return listed;
}
