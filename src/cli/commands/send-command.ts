import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { signPayload } from '../../ingress/verify-signature.js';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { networkReason } from '../network-reason.js';
import { formatTable } from '../format-table.js';
import { exampleEvents, findExamplePayload } from '../webhook-examples.js';
import { freshenExample } from '../freshen-example.js';

interface SendOptions {
  action?: string;
  file?: string;
  deliveryId?: string;
  hookId?: string;
  list?: boolean;
}

/**
 * `send <event>`: sign a real example payload (or a file) with GITHUB_WEBHOOK_SECRET and post it
 * to a running service exactly as GitHub would, to check a deployment end to end.
 */
export function addSendCommand(program: Command, context: CommandContext): void {
  program
    .command('send')
    .description('sign and POST a GitHub webhook to a running service (an @octokit/webhooks-examples payload, or --file)')
    .argument('[event]', 'the X-GitHub-Event, e.g. pull_request, check_run, push, ping')
    .option('--action <action>', 'pick the example with this action (e.g. opened, completed)')
    .option('--file <path>', 'send this JSON payload instead of an example')
    .option('--delivery-id <guid>', 'X-GitHub-Delivery (default: a new UUID; reuse one to see duplicate handling)')
    .option('--hook-id <id>', 'X-GitHub-Hook-ID', '0')
    .option('--list', 'list the events (and actions) that have examples')
    .action(async (event: string | undefined, options: SendOptions, command: Command) => {
      if (options.list) {
        context.print(command, exampleEvents(), (events) =>
          formatTable(events, [
            { title: 'event', value: (e) => e.name },
            { title: 'actions', value: (e) => e.actions.join(', '), max: 100 },
          ]),
        );
        return;
      }
      if (!event) throw new CliError('usage', 'send needs an event name (see `orchestrator send --list`)');
      const body = await payloadBody(event, options);
      const [secret] = context.config().webhookSecrets;
      if (!secret) throw new CliError('usage', 'GITHUB_WEBHOOK_SECRET must be set to sign the delivery (the service\'s secret)');
      const deliveryId = options.deliveryId ?? randomUUID();
      const base = command.optsWithGlobals<{ url?: string }>().url ?? context.config().orchestratorUrl;
      const url = `${base.replace(/\/+$/, '')}/api/v1/webhooks/github`;
      let response: Response;
      try {
        response = await context.io.fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'GitHub-Hookshot/orchestrator-cli',
            'x-github-event': event,
            'x-github-delivery': deliveryId,
            'x-github-hook-id': options.hookId ?? '0',
            'x-hub-signature-256': signPayload(secret, body),
          },
          body,
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        throw new CliError('unreachable', `cannot reach the service at ${base} (${networkReason(error)}); is it running? (ORCHESTRATOR_URL, --url)`, { cause: error });
      }
      const answer = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      const result = { status: response.status, delivery_id: deliveryId, event, answer };
      context.print(command, result, (value) => {
        const outcome = (value.answer?.result as { status?: string; seq?: number } | undefined) ?? {};
        const error = (value.answer?.error as { code?: string; message?: string } | undefined) ?? undefined;
        return value.status === 202
          ? `${event} ${deliveryId}: 202 ${outcome.status ?? ''}${outcome.seq ? ` (stream seq ${outcome.seq})` : ''}`
          : `${event} ${deliveryId}: ${value.status} ${error?.code ?? ''}: ${error?.message ?? ''}`;
      });
      if (response.status === 503) throw new CliError('unreachable', 'the service could not make the delivery durable (503); try again');
      if (response.status !== 202) throw new CliError('failed', `the service refused the delivery (${response.status})`);
    });
}

async function payloadBody(event: string, options: SendOptions): Promise<string> {
  if (options.file) {
    const text = await readFile(options.file, 'utf8').catch((error: unknown) => {
      throw new CliError('usage', `cannot read ${options.file}: ${error instanceof Error ? error.message : String(error)}`);
    });
    try {
      JSON.parse(text);
    } catch {
      throw new CliError('usage', `${options.file} is not JSON`);
    }
    return text;
  }
  const payload = findExamplePayload(event, (candidate) => options.action === undefined || candidate.action === options.action);
  if (!payload) {
    throw new CliError('not_found', `no example payload for ${event}${options.action ? ` with action ${options.action}` : ''} (see \`orchestrator send --list\`)`);
  }
  return JSON.stringify(freshenExample(event, payload, Date.now()));
}
