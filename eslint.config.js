import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'build/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Log lines, annotations and outputs carry text servers sent: they go through src/github/log.ts,
    // which makes that text inert (@actions/core writes a log line raw, and a line break in it
    // would let a server issue workflow commands). Elsewhere @actions/core is imported by name (these
    // rules refuse `* as`): inputs, state, masking and the job summary.
    files: ['src/**/*.ts'],
    ignores: ['src/github/log.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@actions/core',
              importNames: [
                'info',
                'debug',
                'notice',
                'warning',
                'error',
                'startGroup',
                'endGroup',
                'group',
                'setFailed',
                'setOutput',
              ],
              message: 'use src/github/log.ts, which makes server text inert',
            },
            {
              name: '@actions/core',
              importNames: ['getIDToken'],
              message:
                "use src/github/oidc.ts: @actions/core's OIDC client would load @actions/http-client and undici at every start",
            },
          ],
        },
      ],
    },
  },
);
