import { z } from 'zod';
import type { WebhookEnvelope } from '../../contracts/webhook-envelope.js';
import type { InstallationStatus } from '../../effects/db/entities/installation.js';

const repositories = z.array(z.object({ full_name: z.string() })).optional();
const installationPayload = z.object({
  action: z.string(),
  installation: z.object({
    id: z.number(),
    account: z.object({ login: z.string(), type: z.string().optional() }).nullable().optional(),
    target_type: z.string().optional(),
    repository_selection: z.string().optional(),
  }),
  repositories,
  repositories_added: repositories,
  repositories_removed: repositories,
});

/** What an installation event does to the installation record: pure data, no I/O. */
export type InstallationPlan =
  | { kind: 'ignore'; reason: string }
  | {
      kind: 'upsert';
      id: number;
      accountLogin: string;
      accountType: string | null;
      targetType: string | null;
      repositorySelection: string | null;
      repositories: string[] | undefined;
      status: InstallationStatus;
    }
  | { kind: 'status'; id: number; status: InstallationStatus }
  | { kind: 'repositories'; id: number; added: string[]; removed: string[]; repositorySelection: string | null };

const STATUS_BY_ACTION: Record<string, InstallationStatus> = {
  deleted: 'deleted',
  suspend: 'suspended',
  unsuspend: 'active',
};

/** installation (created, deleted, suspend, unsuspend, new_permissions_accepted) and installation_repositories. */
export function planInstallation(envelope: WebhookEnvelope): InstallationPlan {
  const parsed = installationPayload.safeParse(envelope.payload);
  if (!parsed.success) return { kind: 'ignore', reason: 'payload does not describe an installation' };
  const { action, installation } = parsed.data;
  const names = (list: Array<{ full_name: string }> | undefined) => list?.map((repo) => repo.full_name);
  if (envelope.event === 'installation_repositories') {
    return {
      kind: 'repositories',
      id: installation.id,
      added: names(parsed.data.repositories_added) ?? [],
      removed: names(parsed.data.repositories_removed) ?? [],
      repositorySelection: installation.repository_selection ?? null,
    };
  }
  const status = STATUS_BY_ACTION[action];
  if (action === 'created' || action === 'new_permissions_accepted' || (status && installation.account)) {
    if (!installation.account) return { kind: 'ignore', reason: 'installation without an account' };
    return {
      kind: 'upsert',
      id: installation.id,
      accountLogin: installation.account.login,
      accountType: installation.account.type ?? null,
      targetType: installation.target_type ?? null,
      repositorySelection: installation.repository_selection ?? null,
      repositories: names(parsed.data.repositories),
      status: status ?? 'active',
    };
  }
  if (status) return { kind: 'status', id: installation.id, status };
  return { kind: 'ignore', reason: `installation action ${action} changes nothing we keep` };
}
