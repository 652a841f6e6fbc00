import { z } from 'zod';
import { connectionNodes } from './connection-nodes.js';
import { githubEnum } from './github-enum.js';

/** One annotation a check run left on a file. `level` is lower-case ('failure', 'warning', 'notice'). */
export interface CheckAnnotation {
  path: string;
  startLine: number;
  endLine: number;
  level: string | null;
  message: string;
  title: string | null;
}

/**
 * What a check run reported: enough for a human-readable reason and a fix prompt.
 * `conclusion` and `status` are lower-case, as in webhook payloads.
 */
export interface CheckRunReport {
  name: string;
  conclusion: string | null;
  status: string;
  detailsUrl: string | null;
  title: string | null;
  summary: string | null;
  text: string | null;
  /** The first 50 annotations. */
  annotations: CheckAnnotation[];
}

const annotation = z
  .object({
    path: z.string(),
    annotationLevel: githubEnum.nullable(),
    message: z.string(),
    title: z.string().nullable(),
    location: z.object({
      start: z.object({ line: z.number().int() }),
      end: z.object({ line: z.number().int() }),
    }),
  })
  .transform(
    (node): CheckAnnotation => ({
      path: node.path,
      startLine: node.location.start.line,
      endLine: node.location.end.line,
      level: node.annotationLevel,
      message: node.message,
      title: node.title,
    }),
  );

/**
 * The `CheckRunFields` fragment (on CheckRun) and the zod schema that reads it into a
 * {@link CheckRunReport}. A document using it must append `checkRunFields.fragment`.
 */
export const checkRunFields = {
  fragment: `
fragment CheckRunFields on CheckRun {
  name
  conclusion
  status
  detailsUrl
  title
  summary
  text
  annotations(first: 50) {
    nodes {
      path
      annotationLevel
      message
      title
      location { start { line } end { line } }
    }
  }
}`,
  schema: z
    .object({
      name: z.string(),
      conclusion: githubEnum.nullable(),
      status: githubEnum,
      detailsUrl: z.string().nullable(),
      title: z.string().nullable(),
      summary: z.string().nullable(),
      text: z.string().nullable(),
      annotations: connectionNodes(annotation),
    })
    .transform(
      (run): CheckRunReport => ({
        name: run.name,
        conclusion: run.conclusion,
        status: run.status,
        detailsUrl: run.detailsUrl,
        title: run.title,
        summary: run.summary,
        text: run.text,
        annotations: run.annotations,
      }),
    ),
};
