// @ts-check
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The layers, lowest first: a folder may import from the folders below it, never from those above.
 * errors < contracts, config < operators, observability < effects < bus < actors, recovery, startup
 * < ingress, api < console, cli < the composition root (service/, service.ts, run-service.ts, main.ts).
 * `types` lists folders above whose types (only) a layer may name.
 */
const FOLDERS = ['errors', 'contracts', 'config', 'operators', 'observability', 'effects', 'bus', 'actors', 'recovery', 'startup', 'ingress', 'api', 'console', 'cli', 'service'];
const layer = (folder, { mayImport, types = [], extra = [] }) => {
  const above = FOLDERS.filter((other) => other !== folder && !mayImport.includes(other));
  const group = (folders) => folders.flatMap((other) => [`**/${other}/**`, `../${other}/*`, `../../${other}/*`]);
  const message = `${folder}/ imports only ${mayImport.join(', ') || 'nothing of src/'}${types.length ? ` (and types of ${types.join(', ')})` : ''}.`;
  const patterns = [];
  const forbidden = above.filter((other) => !types.includes(other));
  if (forbidden.length) patterns.push({ group: [...group(forbidden), '**/service.js', '**/run-service.js', ...extra], message });
  if (types.length) patterns.push({ group: group(types), allowTypeImports: true, message });
  return { files: [`src/${folder}/**`], rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] } };
};

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
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    // A circle of imports has no lowest layer; type-only imports are left out (they vanish at run time).
    rules: { 'import-x/no-cycle': 'error' },
  },
  layer('errors', { mayImport: [] }),
  layer('contracts', { mayImport: ['errors'] }),
  layer('config', { mayImport: ['errors', 'contracts'] }),
  layer('operators', { mayImport: ['errors'], extra: ['@nats-io/*', '@mikro-orm/*', 'koa', '@koa/*'] }),
  layer('observability', { mayImport: ['errors', 'contracts', 'config'], types: ['operators'] }),
  layer('effects', { mayImport: ['errors', 'contracts', 'config', 'operators', 'observability'] }),
  layer('bus', { mayImport: ['errors', 'contracts', 'config', 'operators', 'observability'], types: ['effects'] }),
  layer('actors', { mayImport: ['errors', 'contracts', 'config', 'operators', 'observability', 'effects', 'bus'] }),
  layer('recovery', { mayImport: ['errors', 'contracts', 'config', 'operators', 'observability', 'effects', 'bus'] }),
  layer('startup', { mayImport: ['errors', 'contracts', 'config', 'operators', 'observability', 'effects', 'bus'] }),
  layer('ingress', { mayImport: ['errors', 'contracts', 'config', 'operators', 'observability', 'bus'] }),
  layer('api', { mayImport: ['errors', 'contracts', 'config', 'operators', 'observability', 'effects'], types: ['bus', 'ingress'] }),
  layer('console', { mayImport: ['errors', 'contracts', 'config'], types: ['api'] }),
  layer('cli', { mayImport: ['errors', 'contracts', 'config', 'operators', 'observability', 'effects', 'bus', 'startup', 'ingress', 'api'] }),
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
