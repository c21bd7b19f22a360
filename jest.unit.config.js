// `npm run test:unit`: the tests that need no bundle, in seconds: the pure core, the engine, the
// adapters and the emulator, with the real SDKs. `npm test` stays the full run: it adds the
// end-to-end suites (the bundled action run as the runner runs it, the fault matrix and the proxy
// among them) and the workflow played step by step, which need the bundle its globalSetup builds.
import base from './jest.config.js';

export default {
  ...base,
  globalSetup: undefined,
  globalTeardown: undefined,
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/e2e/', '<rootDir>/__tests__/workflows/'],
};
