import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/meta/commands.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // The engine reads time and randomness only through its injected clock and rng.
    files: ['src/engine/**/*.ts', 'src/protocol/**/*.ts', 'src/meta/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Use the injected clock.' },
        { object: 'Math', property: 'random', message: 'Use the injected rng.' },
      ],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'Schedule through the injected clock.' },
        { name: 'setInterval', message: 'Schedule through the injected clock.' },
        { name: 'setImmediate', message: 'Schedule through the injected clock.' },
      ],
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:net', 'node:timers', '**/server/**', '**/cluster/**'], message: 'The engine does no I/O and has no timers of its own.' },
      ] }],
    },
  },
);
