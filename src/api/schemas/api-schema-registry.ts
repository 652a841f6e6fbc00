import { z } from 'zod';

/** What the OpenAPI document needs to know of a schema beyond its shape. */
export interface ApiSchemaMeta {
  /** Present on named schemas: they become `#/components/schemas/<id>`. */
  id?: string;
  description?: string;
  examples?: unknown[];
}

/**
 * The HTTP interface's own registry (not zod's global one, so no other module's schemas leak into
 * the document). Schemas register themselves where they are defined with `.register(apiSchemas, …)`;
 * the OpenAPI document is generated from it, and the same schemas validate the requests.
 */
export const apiSchemas = z.registry<ApiSchemaMeta>();
