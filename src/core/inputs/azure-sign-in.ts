// Which Azure cloud a step speaks to and how it signs in: the `environment` and the endpoints it
// names (each overridable), and the `client-id` / `tenant-id` pair the GitHub OIDC token is
// exchanged for (or neither, for the ambient Azure credential).
import { didYouMean, editDistance } from '../lists.js';
import { GUID } from '../patterns.js';
import type { AzureConfig } from './config.js';
import { AZURE_ENVIRONMENTS, type AzureEnvironmentName } from './endpoints.js';
import { httpsUrl, printable, type InputReader, type Problems } from './fields.js';
import { jobEnvironmentFix } from './other-cloud.js';

export function azureEndpointsOf(
  problems: Problems,
  read: InputReader,
): Pick<
  AzureConfig,
  | 'environment'
  | 'authorityHost'
  | 'resourceManagerEndpoint'
  | 'tokenScope'
  | 'graphEndpoint'
  | 'graphTokenScope'
> {
  const environmentText = read('environment').trim() || 'AzureCloud';
  const names = Object.keys(AZURE_ENVIRONMENTS) as AzureEnvironmentName[];
  const known = names.find((name) => name.toLowerCase() === environmentText.toLowerCase());
  if (!known)
    problems.add(
      'environment',
      `\`${printable(environmentText)}\` is not one of ${names.map((n) => `\`${n}\``).join(', ')}: it names the Azure cloud`,
      // `environment: production` under `with:` was most likely meant for the job.
      // A typo of one (`AzureCloudd`) gets it; a retired cloud (`AzureGermanCloud`) is not another's typo.
      /^azure/i.test(environmentText)
        ? didYouMean(
            environmentText,
            names.filter((n) => editDistance(n.toLowerCase(), environmentText.toLowerCase()) <= 2),
            1,
          )
        : jobEnvironmentFix(environmentText),
    );
  const environment = known ?? 'AzureCloud';
  const endpoints = AZURE_ENVIRONMENTS[environment];
  const authorityOverride = read('authority-host').trim();
  const armOverride = read('resource-manager-endpoint').trim();
  const authorityHost = authorityOverride
    ? (httpsUrl(problems, 'authority-host', authorityOverride) ?? '')
    : endpoints.authorityHost;
  const resourceManagerEndpoint = armOverride
    ? (httpsUrl(problems, 'resource-manager-endpoint', armOverride) ?? '')
    : endpoints.resourceManagerEndpoint;
  const tokenScope = armOverride ? `${resourceManagerEndpoint}/.default` : endpoints.tokenScope;
  const graphOverride = read('graph-endpoint').trim();
  const graphEndpoint = graphOverride
    ? (httpsUrl(problems, 'graph-endpoint', graphOverride) ?? '')
    : endpoints.graphEndpoint;
  // Graph's token scope is its resource with `/.default` (the same federated credential, another scope).
  const graphTokenScope = `${graphEndpoint}/.default`;
  return { environment, authorityHost, resourceManagerEndpoint, tokenScope, graphEndpoint, graphTokenScope };
}

export function azureSignIn(
  problems: Problems,
  read: InputReader,
  env: NodeJS.ProcessEnv,
): { clientId: string | undefined; tenantId: string | undefined } {
  const clientId = read('client-id').trim() || env.AZURE_CLIENT_ID || undefined;
  const tenantId = read('tenant-id').trim() || env.AZURE_TENANT_ID || undefined;
  if (clientId && !GUID.test(clientId))
    problems.add('client-id', `\`${printable(clientId)}\` is not an application (client) ID GUID`);
  if (tenantId && !GUID.test(tenantId) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(tenantId)) {
    problems.add('tenant-id', `\`${printable(tenantId)}\` is not a tenant ID GUID or domain`);
  }
  if (Boolean(clientId) !== Boolean(tenantId)) {
    problems.add(
      clientId ? 'tenant-id' : 'client-id',
      'is required when the other of `client-id` / `tenant-id` is set',
      'give both to exchange the GitHub OIDC token, or neither to use the ambient Azure credential',
    );
  }
  return { clientId, tenantId };
}
