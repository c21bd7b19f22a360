// Reads a reconcile manifest (`version: 1`) into a typed Manifest, or every problem in it at once,
// each with its line. Values are checked by the parsers the inputs use, so a manifest takes what
// the `principal`, `role` and `target` inputs take, and refuses what they refuse. Pure.
import { awsSection } from './aws.js';
import { azureSection } from './azure.js';
import { ManifestNodes, type ManifestProblem } from './nodes.js';
import type { Manifest } from './types.js';

export type { ManifestProblem } from './nodes.js';
export { MAX_MANIFEST_ASSIGNMENTS } from './fields.js';

/**
 * The manifest, or its problems; with them, what was read of it (`partial`: its definitions'
 * files, valid entries or not, are checked in the same run).
 */
export type ManifestResult = { manifest: Manifest } | { problems: ManifestProblem[]; partial?: Manifest };

export function parseManifest(path: string, source: string): ManifestResult {
  const nodes = new ManifestNodes(source);
  const top = nodes.parse();
  if (top === undefined) {
    if (nodes.problems.length === 0) nodes.add(1, 'is empty', 'start it with `version: 1`');
    return { problems: nodes.problems };
  }
  const fields = nodes.mapping(top, 'the manifest', ['version', 'aws', 'azure'], 1);
  const version = fields.get('version');
  if (!version) nodes.add(1, 'has no `version`', 'start it with `version: 1`');
  else if (nodes.text(version, 'version')?.text !== '1')
    nodes.add(version.line, '`version` must be `1`', 'this release of cloud-access reads `version: 1`');
  const awsField = fields.get('aws');
  const azureField = fields.get('azure');
  if (!awsField && !azureField) nodes.add(1, 'has neither an `aws` nor an `azure` section');
  const manifest: Manifest = {
    path,
    aws: awsField ? awsSection(nodes, awsField, path) : undefined,
    azure: azureField ? azureSection(nodes, azureField) : undefined,
  };
  if (nodes.problems.length > 0)
    return { problems: nodes.problems.sort((a, b) => a.line - b.line), partial: manifest };
  return { manifest };
}
