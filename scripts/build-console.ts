import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/** Where the console's client lives, and where `npm run build` puts its bundle (served by src/console). */
export const CONSOLE_ENTRY = fileURLToPath(new URL('../src/console/client/main.ts', import.meta.url));
export const CONSOLE_OUT_DIR = fileURLToPath(new URL('../dist/console/', import.meta.url));

/**
 * Bundles the console's client with esbuild into `app.js` and `app.css`: one ES module, no
 * runtime dependency, nothing fetched from elsewhere. Type checking is `npm run lint`'s job.
 */
export async function buildConsole(outdir: string = CONSOLE_OUT_DIR): Promise<void> {
  await build({
    entryPoints: { app: CONSOLE_ENTRY },
    outdir,
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildConsole();
}
