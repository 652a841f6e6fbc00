// @ts-check
// What a Probot user runs: @octokit/webhooks' createNodeMiddleware on node:http, verifying the
// signature and dispatching to an `on('pull_request')` handler, with no durable queue behind it.
// Plain JavaScript so it runs under bare `node` (see bare-server.mjs).
import { createServer } from 'node:http';
import process from 'node:process';
import { Webhooks, createNodeMiddleware } from '@octokit/webhooks';

const port = Number(process.env.PORT);
const secret = process.env.BENCH_SECRET;
if (!secret) throw new Error('BENCH_SECRET is required');

const webhooks = new Webhooks({ secret });
let received = 0;
webhooks.on('pull_request', ({ payload }) => {
  if (payload.action) received += 1;
});
const middleware = createNodeMiddleware(webhooks, { path: '/api/github/webhooks' });

createServer(async (req, res) => {
  if (req.url === '/received') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received }));
    return;
  }
  const handled = await middleware(req, res);
  if (!handled) res.writeHead(404).end();
}).listen(port, '127.0.0.1');
