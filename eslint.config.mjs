import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Only the redis module and redis-*.store.ts files talk to Redis (STYLE.md).
    files: ['src/**/*.ts'],
    ignores: ['src/redis/**', 'src/**/redis-*.store.ts', 'src/dev/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'ioredis', message: 'Only src/redis/** and redis-*.store.ts may import ioredis.' }] }],
    },
  },
);
