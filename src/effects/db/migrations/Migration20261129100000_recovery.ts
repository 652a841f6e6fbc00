import { Migration } from '@mikro-orm/migrations';

/** Missed-delivery recovery: its runs, the redeliveries it asked for (one per GUID), its checkpoints. */
export class Migration20261129100000_recovery extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "recovery_runs" (
      "id" uuid not null default gen_random_uuid(),
      "trigger" text check ("trigger" in ('schedule', 'manual')) not null,
      "status" text check ("status" in ('running', 'completed', 'paused', 'failed')) not null default 'running',
      "since" timestamptz not null,
      "started_at" timestamptz not null default now(),
      "finished_at" timestamptz null,
      "scanned" int not null default 0,
      "failed" int not null default 0,
      "already_accepted" int not null default 0,
      "requested" int not null default 0,
      "resume_at" timestamptz null,
      "error" text null,
      constraint "recovery_runs_pkey" primary key ("id"));`);
    this.addSql(`create index "recovery_runs_started_at_index" on "recovery_runs" ("started_at");`);
    this.addSql(`create table "recovery_requests" (
      "guid" text not null,
      "hook_delivery_id" bigint not null,
      "hook" text not null,
      "event" text not null,
      "action" text null,
      "run_id" uuid not null,
      "outcome" text check ("outcome" in ('requested', 'failed')) not null,
      "failed_status_code" int not null,
      "requested_at" timestamptz not null default now(),
      "error" text null,
      constraint "recovery_requests_pkey" primary key ("guid"));`);
    this.addSql(`create index "recovery_requests_run_id_index" on "recovery_requests" ("run_id");`);
    this.addSql(`create table "recovery_checkpoints" (
      "hook" text not null,
      "last_delivery_id" bigint not null,
      "updated_at" timestamptz not null default now(),
      constraint "recovery_checkpoints_pkey" primary key ("hook"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "recovery_checkpoints";`);
    this.addSql(`drop table if exists "recovery_requests";`);
    this.addSql(`drop table if exists "recovery_runs";`);
  }
}
