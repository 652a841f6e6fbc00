import { BigIntType, EntitySchema } from '@mikro-orm/core';

/** An installation's lifecycle; `deleted` records are kept. */
export const INSTALLATION_STATUSES = ['active', 'suspended', 'deleted'] as const;
export type InstallationStatus = (typeof INSTALLATION_STATUSES)[number];

/** A GitHub App installation, kept (as `deleted`) after it is removed. */
export interface Installation {
  /** GitHub's installation id. */
  id: number;
  accountLogin: string;
  accountType: string | null;
  targetType: string | null;
  /** `all` or `selected`. */
  repositorySelection: string | null;
  status: InstallationStatus;
  /** Full names (`owner/name`) of the repositories the installation was granted, when known. */
  repositories: string[];
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

/** Table `installations`. */
export const InstallationSchema = new EntitySchema<Installation>({
  name: 'Installation',
  tableName: 'installations',
  properties: {
    id: { type: new BigIntType('number'), primary: true, autoincrement: false },
    accountLogin: { type: 'text' },
    accountType: { type: 'text', nullable: true },
    targetType: { type: 'text', nullable: true },
    repositorySelection: { type: 'text', nullable: true },
    status: { enum: true, items: [...INSTALLATION_STATUSES], default: 'active' },
    repositories: { type: 'json', defaultRaw: `'[]'` },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
    updatedAt: { type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() },
    deletedAt: { type: 'datetime', nullable: true },
  },
  indexes: [{ name: 'installations_account_login_index', properties: ['accountLogin'] }],
});
