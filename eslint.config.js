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
    // which makes that text inert (a line break in it would let a server issue workflow commands).
    // @actions/core is not imported at all: src/github/workflow-commands.ts speaks the runner's
    // protocol, as importing the toolkit would load its HTTP client (undici) at every start.
    files: ['src/**/*.ts'],
    ignores: ['src/github/log.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@actions/core',
              message:
                'use src/github/workflow-commands.ts (and log.ts for messages): the toolkit loads undici',
            },
          ],
          patterns: [
            {
              group: ['**/workflow-commands.js'],
              importNames: ['issueCommand', 'writeLine', 'setOutput'],
              message: 'use src/github/log.ts, which escapes server text',
            },
          ],
        },
      ],
    },
  },
);
