// The parts of a manifest's `azure` section that kinds beside the role assignments define under
// keys of their own (`azure.<key>`), registered by each kind (azure/kinds.ts registerAzureSection)
// and parsed by the section (./azure.ts), as every section's parts are (./section-parts.ts). Pure.
import { sectionParts, type ManifestPart } from './section-parts.js';

/** A part of the `azure` section (`azure.<key>`): what a kind's section (azure/kind/section.ts) reads of the manifest. */
export type AzureManifestPart<V = unknown> = ManifestPart<V>;

/**
 * The `azure` section's own keys (`groups`: PIM for groups' memberships, ./azure-groups.ts), then
 * each part a kind registered.
 */
export const AZURE_PARTS = sectionParts('azure', ['manages', 'assignments', 'groups']);
