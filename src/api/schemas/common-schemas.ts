import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../errors/error-codes.js';
import type { ErrorBody } from '../../ingress/error-middleware.js';
import { apiSchemas } from './api-schema-registry.js';
import { assertSameType } from './same-type.js';

/** The largest page the list endpoints return: bounds the work and the answer of one request. */
export const MAX_PAGE_SIZE = 1000;
/** The page size when `limit` is not given. */
export const DEFAULT_PAGE_SIZE = 50;

// Query strings carry text: a whole number is checked as text first, so "1e3", "0x10" or " 5" are
// refused instead of being coerced into something the caller did not write.
const wholeNumber = z.string().regex(/^\d{1,9}$/, 'must be a whole number');

/** `limit`: 1..1000, default 50. */
export const limitParam = wholeNumber
  .transform(Number)
  .pipe(z.number().int().min(1).max(MAX_PAGE_SIZE))
  .default(DEFAULT_PAGE_SIZE)
  .register(apiSchemas, { description: `Page size, 1 to ${MAX_PAGE_SIZE}.` });

/** `offset`: ≥ 0, default 0. */
export const offsetParam = wholeNumber
  .transform(Number)
  .pipe(z.number().int().min(0))
  .default(0)
  .register(apiSchemas, { description: 'Rows to skip before the page starts.' });

/** The pagination fields every list query accepts. */
export const pageQueryFields = { limit: limitParam, offset: offsetParam };

/** The pagination fields every list answer echoes. */
export const pageAnswerFields = {
  total: z.number().int().min(0).register(apiSchemas, { description: 'Rows matching the filters, all pages together.' }),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE),
  offset: z.number().int().min(0),
};

/** `owner/name`, as GitHub spells repositories. */
export const repositoryParam = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, 'must be owner/name')
  .register(apiSchemas, { description: 'Repository as `owner/name`.', examples: ['octo-org/widgets'] });

/** A GitHub delivery GUID (the same rule the webhook ingress applies to X-GitHub-Delivery). */
export const deliveryIdParam = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be a GitHub delivery id (X-GitHub-Delivery)')
  .register(apiSchemas, { description: 'GitHub delivery GUID (X-GitHub-Delivery).' });

/** A GitHub event name (the same rule the webhook ingress applies to X-GitHub-Event). */
export const eventNameParam = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a GitHub event name such as pull_request')
  .register(apiSchemas, { description: 'GitHub event name (X-GitHub-Event).', examples: ['pull_request'] });

/** ISO-8601 UTC timestamps, as every answer writes them. */
export const timestamp = z.iso.datetime();

/** Parameters of an operation that takes none: anything given is refused as unknown. */
export const NO_PARAMETERS = z.strictObject({});

/** The one error body of every HTTP answer: `{"error":{"code","message","correlation_id"}}`. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      correlation_id: z.string().register(apiSchemas, { description: 'Equals the X-Request-Id header.' }),
    }),
  })
  .register(apiSchemas, {
    id: 'Error',
    description: 'Every error answer. The message names the offending parameter on validation_failed.',
  });

assertSameType<z.output<typeof errorBodySchema>, ErrorBody>(true);
