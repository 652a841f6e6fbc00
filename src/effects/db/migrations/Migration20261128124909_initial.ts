import { Migration } from '@mikro-orm/migrations';

/**
 * The first schema: deliveries, tasks and their attempts, installations, pull request heads.
 * Generated from the entities by the migrator, then reviewed: the partial unique indexes and the
 * codegen_trigger check guarantee one analysis task per delivery and task type and one Codegen run
 * per commit and purpose, and have no declarative form in MikroORM.
 */
export class Migration20261128124909_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "webhook_deliveries" (
      "delivery_id" text not null,
      "event_type" text not null,
      "action" text null,
      "repository" text null,
      "installation_id" bigint null,
      "hook_id" text null,
      "target_type" text null,
      "stream_seq" bigint null,
      "outcome" text check ("outcome" in ('received', 'processed', 'ignored', 'duplicate', 'failed', 'dead')) not null default 'received',
      "error" text null,
      "received_at" timestamptz not null default now(),
      "processed_at" timestamptz null,
      "times_seen" int not null default 1,
      constraint "webhook_deliveries_pkey" primary key ("delivery_id"));`);
    this.addSql(`create index "webhook_deliveries_received_at_index" on "webhook_deliveries" ("received_at");`);
    this.addSql(`create index "webhook_deliveries_event_type_received_at_index" on "webhook_deliveries" ("event_type", "received_at");`);
    this.addSql(`create index "webhook_deliveries_repository_received_at_index" on "webhook_deliveries" ("repository", "received_at");`);
    this.addSql(`create index "webhook_deliveries_outcome_received_at_index" on "webhook_deliveries" ("outcome", "received_at");`);

    this.addSql(`create table "tasks" (
      "id" uuid not null default gen_random_uuid(),
      "task_type" text check ("task_type" in ('pull_request_analysis', 'check_failure_analysis', 'check_suite_failure_analysis', 'push_analysis', 'codegen_trigger')) not null,
      "status" text check ("status" in ('queued', 'running', 'retrying', 'succeeded', 'failed', 'skipped', 'dead')) not null default 'queued',
      "repository" text not null,
      "delivery_id" text not null,
      "event_type" text not null,
      "action" text null,
      "pull_request_number" int null,
      "head_sha" text null,
      "purpose" text check ("purpose" in ('fix', 'review')) null,
      "attempt_count" int not null default 0,
      "last_error" text null,
      "reason" text null,
      "findings" jsonb null,
      "input" jsonb not null default '{}',
      "trigger_task_id" uuid null,
      "codegen_run_id" bigint null,
      "codegen_run_status" text null,
      "codegen_web_url" text null,
      "codegen_result" text null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "tasks_pkey" primary key ("id"),
      constraint tasks_codegen_trigger_key_check check (task_type <> 'codegen_trigger' or (head_sha is not null and purpose is not null)));`);
    // One analysis task per (delivery, type); one codegen_trigger per (repository, head SHA, purpose).
    this.addSql(`create unique index "tasks_delivery_id_task_type_unique" on "tasks" ("delivery_id", "task_type") where "task_type" <> 'codegen_trigger';`);
    this.addSql(`create unique index "tasks_codegen_trigger_unique" on "tasks" ("repository", "head_sha", "purpose") where "task_type" = 'codegen_trigger';`);
    this.addSql(`create index "tasks_created_at_index" on "tasks" ("created_at");`);
    this.addSql(`create index "tasks_status_created_at_index" on "tasks" ("status", "created_at");`);
    this.addSql(`create index "tasks_task_type_created_at_index" on "tasks" ("task_type", "created_at");`);
    this.addSql(`create index "tasks_repository_created_at_index" on "tasks" ("repository", "created_at");`);
    this.addSql(`create index "tasks_delivery_id_index" on "tasks" ("delivery_id");`);
    this.addSql(`create index "tasks_trigger_task_id_index" on "tasks" ("trigger_task_id");`);
    this.addSql(`create index "tasks_pull_request_index" on "tasks" ("repository", "pull_request_number", "task_type", "purpose");`);

    this.addSql(`create table "task_attempts" (
      "id" uuid not null default gen_random_uuid(),
      "task_id" uuid not null,
      "number" int not null,
      "started_at" timestamptz not null default now(),
      "finished_at" timestamptz null,
      "outcome" text check ("outcome" in ('succeeded', 'failed', 'retrying', 'skipped', 'dead')) null,
      "error" text null,
      constraint "task_attempts_pkey" primary key ("id"));`);
    this.addSql(`alter table "task_attempts" add constraint "task_attempts_task_id_number_unique" unique ("task_id", "number");`);
    this.addSql(`alter table "task_attempts" add constraint "task_attempts_task_id_foreign" foreign key ("task_id") references "tasks" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "installations" (
      "id" bigint not null,
      "account_login" text not null,
      "account_type" text null,
      "target_type" text null,
      "repository_selection" text null,
      "status" text check ("status" in ('active', 'suspended', 'deleted')) not null default 'active',
      "repositories" jsonb not null default '[]',
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "deleted_at" timestamptz null,
      constraint "installations_pkey" primary key ("id"));`);
    this.addSql(`create index "installations_account_login_index" on "installations" ("account_login");`);

    this.addSql(`create table "pull_request_heads" (
      "repository" text not null,
      "number" int not null,
      "head_sha" text not null,
      "head_updated_at" timestamptz not null,
      "updated_at" timestamptz not null default now(),
      constraint "pull_request_heads_pkey" primary key ("repository", "number"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "pull_request_heads";`);
    this.addSql(`drop table if exists "installations";`);
    this.addSql(`drop table if exists "task_attempts";`);
    this.addSql(`drop table if exists "tasks";`);
    this.addSql(`drop table if exists "webhook_deliveries";`);
  }
}
