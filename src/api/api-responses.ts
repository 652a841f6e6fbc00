import { z } from 'zod';
import type { ApiResponse } from './api-operation.js';
import { errorBodySchema } from './schemas/common-schemas.js';

/** An error answer with the one error body; `description` names the code and when it happens. */
export function errorResponse(description: string, headers?: ApiResponse['headers']): ApiResponse {
  return { description, body: errorBodySchema, ...(headers ? { headers } : {}) };
}

/** The Retry-After header of 429 and 503 answers. */
export const retryAfterHeader = {
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: z.int().min(0) },
} as const;
