// Where each cloud signs in by default: the OIDC audience, and Azure's sovereign clouds.
import type { Cloud } from '../types.js';

export const DEFAULT_AUDIENCE: Record<Cloud, string> = {
  aws: 'sts.amazonaws.com',
  azure: 'api://AzureADTokenExchange',
};

export type AzureEnvironmentName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';

export interface AzureEndpoints {
  authorityHost: string;
  resourceManagerEndpoint: string;
  /** The scope of the Entra token ARM accepts. */
  tokenScope: string;
  /** Microsoft Graph of the same cloud: tokens "are not interchangeable" between national clouds. */
  graphEndpoint: string;
}

export const AZURE_ENVIRONMENTS: Record<AzureEnvironmentName, AzureEndpoints> = {
  AzureCloud: {
    authorityHost: 'https://login.microsoftonline.com',
    resourceManagerEndpoint: 'https://management.azure.com',
    tokenScope: 'https://management.azure.com/.default',
    graphEndpoint: 'https://graph.microsoft.com',
  },
  AzureUSGovernment: {
    authorityHost: 'https://login.microsoftonline.us',
    resourceManagerEndpoint: 'https://management.usgovcloudapi.net',
    tokenScope: 'https://management.usgovcloudapi.net/.default',
    graphEndpoint: 'https://graph.microsoft.us',
  },
  AzureChinaCloud: {
    authorityHost: 'https://login.chinacloudapi.cn',
    resourceManagerEndpoint: 'https://management.chinacloudapi.cn',
    tokenScope: 'https://management.chinacloudapi.cn/.default',
    graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
  },
};
