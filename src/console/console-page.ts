/** What the console page is told by the server: whether the management API can be used at all. */
export interface ConsolePageOptions {
  apiEnabled: boolean;
}

const head = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <title>webhook-orchestrator console</title>
    <link rel="stylesheet" href="/console/app.css">`;

const signIn = `
    <script type="module" src="/console/app.js"></script>
  </head>
  <body>
    <main id="app" class="sign-in">
      <form id="sign-in" class="card" autocomplete="off">
        <h1>webhook-orchestrator</h1>
        <p>Sign in with the management API's bearer token (<code>API_TOKEN</code>). It is kept in this browser tab only, until you sign out or close it.</p>
        <label for="token">API token</label>
        <input id="token" name="token" type="password" required minlength="1" autocomplete="off" spellcheck="false">
        <p id="sign-in-error" class="error" role="alert" hidden></p>
        <button type="submit">Sign in</button>
      </form>
    </main>
  </body>
</html>
`;

const disabled = `
  </head>
  <body>
    <main id="app" class="sign-in">
      <section class="card" role="alert">
        <h1>webhook-orchestrator</h1>
        <p><strong>The management API is disabled</strong>, so the console has nothing to show and nobody can sign in.</p>
        <p>Set <code>API_TOKEN</code> to a secret of at least 16 characters in the service's environment and restart it, for example:</p>
        <pre>API_TOKEN="$(openssl rand -hex 32)" npm start</pre>
        <p>Then sign in here with that token. Webhooks, <a href="/health">/health</a>, <a href="/metrics">/metrics</a> and <a href="/docs">/docs</a> work without it.</p>
      </section>
    </main>
  </body>
</html>
`;

/**
 * The console's only server-rendered page: the sign-in form (the client script takes over from
 * there), or, with API_TOKEN unset, a page saying the management API is disabled and how to
 * enable it. It holds no data: everything else is fetched from the management API with the token.
 */
export function consolePage(options: ConsolePageOptions): string {
  return head + (options.apiEnabled ? signIn : disabled);
}
