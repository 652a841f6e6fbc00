import { Migration } from '@mikro-orm/migrations';

/**
 * Task ownership by lease: each attempt records the instance that runs it and until when it is
 * known to be alive; an attempt taken over after its owner stopped renewing ends `abandoned`.
 */
export class Migration20261129130000_attempt_leases extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "task_attempts" add column "owner" text null, add column "lease_expires_at" timestamptz null;`);
    this.addSql(`alter table "task_attempts" drop constraint if exists "task_attempts_outcome_check";`);
    this.addSql(`alter table "task_attempts" add constraint "task_attempts_outcome_check"
      check ("outcome" in ('succeeded', 'failed', 'retrying', 'skipped', 'dead', 'abandoned'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`update "task_attempts" set "outcome" = 'failed' where "outcome" = 'abandoned';`);
    this.addSql(`alter table "task_attempts" drop constraint if exists "task_attempts_outcome_check";`);
    this.addSql(`alter table "task_attempts" add constraint "task_attempts_outcome_check"
      check ("outcome" in ('succeeded', 'failed', 'retrying', 'skipped', 'dead'));`);
    this.addSql(`alter table "task_attempts" drop column "owner", drop column "lease_expires_at";`);
  }
}
