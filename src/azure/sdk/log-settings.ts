// The Azure SDK's log settings, taken out of the environment before the SDK loads
// (steps/cloud-adapters.ts). The bundle holds two copies of its logger (its CommonJS build, which
// @azure/arm-authorization loads, and its ES module build): each reads them as it loads and writes
// what they turn on raw to stderr, which the runner reads for workflow commands too. An unknown
// `AZURE_LOG_LEVEL` is echoed whole; ARM's response headers are logged. Only ./logs.ts's copy goes
// through the escaping, so only it is given the level, once its route is set.
let azureLogLevel: string | undefined;

export function takeSdkLogSettings(env: NodeJS.ProcessEnv = process.env): void {
  azureLogLevel ??= env.AZURE_LOG_LEVEL;
  for (const name of ['AZURE_LOG_LEVEL', 'TYPESPEC_RUNTIME_LOG_LEVEL', 'DEBUG']) delete env[name];
}

/** The `AZURE_LOG_LEVEL` the step was given, once taken. */
export const takenAzureLogLevel = (): string | undefined => azureLogLevel;
