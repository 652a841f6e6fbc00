import { EntitySchema } from '@mikro-orm/core';

/** The newest head of a pull request seen so far, used to skip events about an older head. */
export interface PullRequestHead {
  /** `owner/name`. */
  repository: string;
  number: number;
  headSha: string;
  /** `pull_request.updated_at` of the newest event seen for this pull request. */
  headUpdatedAt: Date;
  updatedAt: Date;
}

/** Table `pull_request_heads`. */
export const PullRequestHeadSchema = new EntitySchema<PullRequestHead>({
  name: 'PullRequestHead',
  tableName: 'pull_request_heads',
  properties: {
    repository: { type: 'text', primary: true },
    number: { type: 'integer', primary: true, autoincrement: false },
    headSha: { type: 'text' },
    headUpdatedAt: { type: 'datetime' },
    updatedAt: { type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() },
  },
});
