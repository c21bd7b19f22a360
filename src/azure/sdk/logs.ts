// The Azure SDKs log to stderr, raw, when `AZURE_LOG_LEVEL` or `DEBUG` is set (an earlier step can
// set either through GITHUB_ENV), and what they log includes Entra's and ARM's error texts. The
// runner obeys workflow commands on stderr too, so their log goes to the step's debug log instead,
// through the same escaping as every other line. Every entry into the Azure adapter calls it. The
// settings themselves are taken away before the SDK loads (./log-settings.ts): the level is set here.
import { AzureLogger, setLogLevel, type AzureLogLevel } from '@azure/logger';
import { format } from 'node:util';
import { takenAzureLogLevel } from './log-settings.js';

export function routeSdkLogs(debug: ((message: string) => void) | undefined): void {
  AzureLogger.log = (...args: unknown[]) => debug?.(format(...args));
  const level = takenAzureLogLevel();
  if (['verbose', 'info', 'warning', 'error'].includes(level!)) setLogLevel(level as AzureLogLevel);
}
