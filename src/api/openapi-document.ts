import { z } from 'zod';
import type { ApiOperation, ApiResponse } from './api-operation.js';
import { API_DISABLED_MESSAGE } from './bearer-auth.js';
import { managementOperations } from './management-operations.js';
import { apiSchemas } from './schemas/api-schema-registry.js';
import { serviceOperations } from './service-operations.js';

/** A JSON value of the document. */
type Json = { [key: string]: unknown };

/** An OpenAPI 3.1 document, as served at /openapi.json. */
export interface OpenApiDocument extends Json {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Json>>;
  components: Json & { schemas: Record<string, Json> };
}

/** Options of {@link createOpenApiDocument}. */
export interface OpenApiDocumentOptions {
  /** The API's version, `info.version`. Default `1.0.0` (the /api/v1 contract). */
  version?: string;
  /** Documented operations. Default: the management API and the service endpoints. */
  operations?: readonly ApiOperation[];
}

const COMPONENTS = '#/components/schemas/';

/** Every operation the service serves, in the order the document lists them. */
export const ALL_OPERATIONS: readonly ApiOperation[] = [
  ...Object.values(serviceOperations),
  ...Object.values(managementOperations),
];

/**
 * The OpenAPI 3.1 document of the service, generated from the operation descriptions and the zod
 * schemas that validate the requests: named schemas become components, parameters come from the
 * operations' `params`/`query`/`headers` objects, so the document cannot disagree with the code.
 */
export function createOpenApiDocument(options: OpenApiDocumentOptions = {}): OpenApiDocument {
  const operations = options.operations ?? ALL_OPERATIONS;
  const { schemas } = z.toJSONSchema(apiSchemas, {
    io: 'output',
    uri: (id) => `${COMPONENTS}${id}`,
    // Also for the registry itself: without it, descriptions of unnamed members are dropped.
    metadata: apiSchemas,
    override: tidy,
  });
  const paths: OpenApiDocument['paths'] = {};
  for (const operation of operations) {
    const path = operation.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
    (paths[path] ??= {})[operation.method] = describeOperation(operation);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'webhook-orchestrator',
      version: options.version ?? '1.0.0',
      description:
        'Receives GitHub webhooks durably (JetStream), analyses them into tasks and starts Codegen agent runs. ' +
        'The management API (/api/v1/tasks, /deliveries, /dead-letters) requires `Authorization: Bearer <API_TOKEN>`; ' +
        `when API_TOKEN is unset, ${API_DISABLED_MESSAGE} (every request is answered 401). ` +
        'Every answer carries X-Request-Id; every error has the body `{"error":{"code","message","correlation_id"}}`.',
    },
    tags: [
      { name: 'webhooks', description: 'GitHub webhook ingress, authenticated by its HMAC signature.' },
      { name: 'tasks', description: 'Workflow tasks: analyses and Codegen triggers.' },
      { name: 'deliveries', description: 'Every accepted GitHub delivery and what became of it.' },
      { name: 'dead-letters', description: 'Messages an actor gave up on, in the DLQ stream.' },
      { name: 'recoveries', description: 'Missed-delivery recovery: failed GitHub deliveries the service never accepted, redelivered.' },
      { name: 'operations', description: 'Health, metrics and this documentation.' },
    ],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutIdentity(schema)])),
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'The API_TOKEN the service was started with.' },
      },
      headers: {
        'X-Request-Id': {
          description: 'Correlation id: the GitHub delivery id on webhook requests, else the caller\'s or a new UUID.',
          schema: { type: 'string' },
        },
      },
    },
  };
}

function describeOperation(operation: ApiOperation): Json {
  const parameters = [
    ...parametersOf(operation.params, 'path'),
    ...parametersOf(operation.query, 'query'),
    ...(operation.headers ? parametersOf(operation.headers, 'header') : []),
  ];
  const responses = Object.fromEntries(
    Object.entries(operation.responses).map(([status, response]) => [status, describeResponse(response)]),
  );
  return {
    operationId: operation.operationId,
    tags: [...operation.tags],
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    security: operation.auth === 'bearer' ? [{ bearerAuth: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.requestBody
      ? {
          requestBody: {
            description: operation.requestBody.description,
            required: operation.requestBody.required,
            content: Object.fromEntries(
              Object.entries(operation.requestBody.content).map(([type, schema]) => [type, { schema: schemaOf(schema) }]),
            ),
          },
        }
      : {}),
    responses,
  };
}

function parametersOf(object: z.ZodObject, location: 'path' | 'query' | 'header'): Json[] {
  return Object.entries(object.shape).map(([name, schema]) => {
    const { description, ...json } = schemaOf(schema as z.ZodType);
    return {
      name,
      in: location,
      // A parameter is optional when leaving it out parses (optional, or defaulted).
      required: location === 'path' || !(schema as z.ZodType).safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: json,
    };
  });
}

function describeResponse(response: ApiResponse): Json {
  const headers: Json = { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } };
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    headers[name] = { description: header.description, schema: schemaOf(header.schema) };
  }
  return {
    description: response.description,
    headers,
    ...(response.body
      ? { content: { [response.contentType ?? 'application/json']: { schema: schemaOf(response.body) } } }
      : {}),
  };
}

/** A schema inline, with every named schema it uses (itself included) as a `$ref` to its component. */
function schemaOf(schema: z.ZodType): Json {
  const id = apiSchemas.get(schema)?.id;
  if (id !== undefined) return { $ref: `${COMPONENTS}${id}` };
  const json = z.toJSONSchema(schema, { io: 'output', metadata: apiSchemas, override: tidy }) as Json;
  const { $defs: _defs, ...rest } = withoutIdentity(json);
  return pointRefsAtComponents(rest) as Json;
}

// Single-schema conversion puts named schemas in `$defs`; the document has them all as components.
function pointRefsAtComponents(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pointRefsAtComponents);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === '$ref' && typeof inner === 'string'
        ? [key, inner.replace(/^#\/\$defs\//, COMPONENTS)]
        : [key, pointRefsAtComponents(inner)],
    ),
  );
}

function withoutIdentity(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/** Drops what only adds noise for readers: JavaScript's safe-integer bounds, and regexes where a format says it. */
function tidy(context: { jsonSchema: Json }): void {
  const schema = context.jsonSchema;
  if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
  if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
  if (typeof schema.format === 'string' && typeof schema.pattern === 'string') delete schema.pattern;
}
