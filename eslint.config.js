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
    files: ['src/**/*.ts'],
    ignores: ['src/github/log.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['info', 'debug', 'notice', 'warning', 'error', 'startGroup', 'setFailed', 'setOutput'].map(
          (property) => ({
            object: 'core',
            property,
            message: 'use src/github/log.ts, which escapes server text',
          }),
        ),
      ],
    },
  },
);
