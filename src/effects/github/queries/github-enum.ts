import { z } from 'zod';

/**
 * A GraphQL enum value (`TIMED_OUT`) read as the lower-case string webhook payloads use
 * (`timed_out`), so planners compare one vocabulary. Deliberately any string: GitHub adds enum
 * values (STARTUP_FAILURE was one), and an unknown value must not fail a whole analysis.
 */
export const githubEnum = z.string().transform((value) => value.toLowerCase());
