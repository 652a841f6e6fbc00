// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import rules that keep the data path honest (STYLE §11): they hold without anyone remembering. */
const layer = (files, patterns, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'ops/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use an `as const` table, not enum.' }],
    },
  },
  layer(
    ['src/operators/**'],
    ['**/bus/**', '**/effects/**', '**/actors/**', '**/ingress/**', '**/api/**', '@nats-io/*', '@mikro-orm/*', 'koa'],
    'operators/ import only rxjs and errors/.',
  ),
  layer(['src/effects/**'], ['**/actors/**', '**/ingress/**', '**/api/**'], 'effects/ never imports actors/, ingress/ or api/.'),
  layer(['src/ingress/**'], ['**/actors/**'], 'ingress/ never imports actors/.'),
  {
    // The console's client runs in the browser: of the server it may know types, never code.
    files: ['src/console/client/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../../*', '../../../*', 'zod'], allowTypeImports: true, message: 'The console client imports only types from the server.' },
            { group: ['node:*'], message: 'The console client runs in the browser.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**'],
    ignores: ['src/main.ts', 'src/instrumentation.ts', 'src/cli/orchestrator.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only main.ts reads process.env; take config.' }],
    },
  },
  {
    files: ['test/**', 'bench/**', 'demo/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
