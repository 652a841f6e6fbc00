import type { EntityManager } from '@mikro-orm/postgresql';
import { InstallationSchema, type Installation, type InstallationStatus } from './entities/installation.js';

/** An installation as an `installation` event describes it. */
export interface InstallationInput {
  id: number;
  accountLogin: string;
  accountType?: string | null;
  targetType?: string | null;
  repositorySelection?: string | null;
  /** Full names; when given, replaces the stored list. */
  repositories?: string[];
  /** Default `active`. */
  status?: InstallationStatus;
}

/**
 * Inserts or updates the installation from an event. Fields the event lacks keep their stored
 * value; `deleted_at` is set when it enters `deleted` and cleared when it leaves it.
 */
export async function upsertInstallation(em: EntityManager, input: InstallationInput): Promise<Installation> {
  const repositories =
    input.repositories === undefined ? null : JSON.stringify([...new Set(input.repositories)].sort());
  const [row] = await em.execute(
    `insert into "installations" ("id", "account_login", "account_type", "target_type", "repository_selection",
       "status", "repositories", "deleted_at")
     values (?, ?, ?, ?, ?, ?, coalesce(?::jsonb, '[]'::jsonb), case when ? = 'deleted' then now() end)
     on conflict ("id") do update set
       "account_login" = excluded."account_login",
       "account_type" = coalesce(excluded."account_type", "installations"."account_type"),
       "target_type" = coalesce(excluded."target_type", "installations"."target_type"),
       "repository_selection" = coalesce(excluded."repository_selection", "installations"."repository_selection"),
       "status" = excluded."status",
       "repositories" = case when ?::jsonb is null then "installations"."repositories" else excluded."repositories" end,
       "deleted_at" = case when excluded."status" = 'deleted' then coalesce("installations"."deleted_at", now()) end,
       "updated_at" = now()
     returning *`,
    [
      input.id, input.accountLogin, input.accountType ?? null, input.targetType ?? null,
      input.repositorySelection ?? null, input.status ?? 'active', repositories, input.status ?? 'active', repositories,
    ],
  );
  return em.map(InstallationSchema, row!);
}

/**
 * Sets the status of a known installation (`suspended`, `active` again, `deleted`), keeping the
 * record. Null when the installation was never recorded.
 */
export async function setInstallationStatus(
  em: EntityManager,
  id: number,
  status: InstallationStatus,
): Promise<Installation | null> {
  const [row] = await em.execute(
    `update "installations" set "status" = ?,
       "deleted_at" = case when ? = 'deleted' then coalesce("deleted_at", now()) end,
       "updated_at" = now()
     where "id" = ? returning *`,
    [status, status, id],
  );
  return row ? em.map(InstallationSchema, row) : null;
}

/** Marks the installation `deleted` (the record is kept). Null when it was never recorded. */
export async function markInstallationDeleted(em: EntityManager, id: number): Promise<Installation | null> {
  return setInstallationStatus(em, id, 'deleted');
}

/** What an `installation_repositories` event changes. */
export interface RepositoryChange {
  added?: string[];
  removed?: string[];
  repositorySelection?: string | null;
}

/**
 * Applies an `installation_repositories` event to the stored list in one statement, so concurrent
 * events never lose each other's changes. Null when the installation was never recorded.
 */
export async function changeInstallationRepositories(
  em: EntityManager,
  id: number,
  change: RepositoryChange,
): Promise<Installation | null> {
  const [row] = await em.execute(
    `update "installations" set
       "repositories" = (
         select coalesce(jsonb_agg("name" order by "name"), '[]'::jsonb) from (
           select jsonb_array_elements_text("installations"."repositories") as "name"
           union select jsonb_array_elements_text(?::jsonb)
         ) as "names"
         where "name" not in (select jsonb_array_elements_text(?::jsonb))
       ),
       "repository_selection" = coalesce(?, "repository_selection"),
       "updated_at" = now()
     where "id" = ? returning *`,
    [JSON.stringify(change.added ?? []), JSON.stringify(change.removed ?? []), change.repositorySelection ?? null, id],
  );
  return row ? em.map(InstallationSchema, row) : null;
}

/** The installation, or null when it was never recorded. */
export async function getInstallation(em: EntityManager, id: number): Promise<Installation | null> {
  return em.findOne(InstallationSchema, { id }, { refresh: true });
}
