// The parts of a manifest's `aws` section that kinds beside the assignments define under keys of
// their own, registered by each kind (aws/kinds.ts registerAwsSection) and parsed by the section
// (./aws.ts), as every section's parts are (./section-parts.ts). Pure.
import { sectionParts, type ManifestPart } from './section-parts.js';

/** A part of the `aws` section (`aws.<key>`): what a kind's section (aws/kinds.ts AwsSection) reads of the manifest. */
export type AwsManifestPart<V = unknown> = ManifestPart<V>;

/** The `aws` section's own keys, then each part a kind registered. */
export const AWS_PARTS = sectionParts('aws', [
  'instance-arn',
  'manages',
  'assignments',
  'permission-sets',
  'must-not-grant',
]);
