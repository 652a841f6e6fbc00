import SwaggerParser from '@apidevtools/swagger-parser';
import { expect } from 'chai';
import { managementOperations } from '../../../src/api/management-operations.js';
import { ALL_OPERATIONS, createOpenApiDocument } from '../../../src/api/openapi-document.js';
import { taskListQuery } from '../../../src/api/schemas/task-schemas.js';
import { serviceOperations } from '../../../src/api/service-operations.js';

type Json = Record<string, any>;

describe('createOpenApiDocument', () => {
  const document = createOpenApiDocument() as Json;
  const operation = (path: string, method: string): Json => document.paths[path][method];

  it('is a valid OpenAPI 3.1 document whose every $ref resolves', async () => {
    expect(document.openapi).to.equal('3.1.0');
    await SwaggerParser.validate(structuredClone(document) as never);
    expect(JSON.stringify(document)).not.to.include('$defs');
    expect(JSON.stringify(document)).not.to.include('"$schema"');
  });

  it('documents every operation once, under its OpenAPI path', () => {
    const listed = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods as Json).map((method) => `${method} ${path}`),
    );
    expect(listed).to.have.members(ALL_OPERATIONS.map((op) => `${op.method} ${op.path.replace(/:(\w+)/g, '{$1}')}`));
    expect(listed).to.include.members([
      'post /api/v1/webhooks/github', 'get /health', 'get /health/live', 'get /health/ready', 'get /metrics',
      'get /openapi.json', 'get /docs', 'get /api/v1/tasks', 'get /api/v1/tasks/{id}', 'post /api/v1/tasks/{id}/retry',
      'get /api/v1/deliveries', 'get /api/v1/deliveries/{delivery_id}', 'post /api/v1/deliveries/{delivery_id}/replay',
      'get /api/v1/dead-letters', 'post /api/v1/dead-letters/{id}/redrive', 'get /api/v1/overview',
      'get /api/v1/deliveries/{delivery_id}/message', 'get /api/v1/deliveries/{delivery_id}/payload',
    ]);
  });

  it('takes the query parameters from the schema that validates them', () => {
    const parameters = operation('/api/v1/tasks', 'get').parameters as Json[];
    expect(parameters.map((p) => p.name)).to.deep.equal(Object.keys(taskListQuery.shape));
    const limit = parameters.find((p) => p.name === 'limit')!;
    expect(limit).to.deep.include({ in: 'query', required: false });
    expect(limit.schema).to.deep.include({ type: 'integer', minimum: 1, maximum: 1000, default: 50 });
    expect(parameters.find((p) => p.name === 'status')!.schema).to.deep.equal({ $ref: '#/components/schemas/TaskStatus' });
    expect(document.components.schemas.TaskStatus.enum).to.include.members(['queued', 'running', 'dead']);
  });

  it('requires the bearer token on the management API only', () => {
    for (const op of Object.values(managementOperations)) {
      const described = operation(op.path.replace(/:(\w+)/g, '{$1}'), op.method);
      expect(described.security, op.operationId).to.deep.equal([{ bearerAuth: [] }]);
      expect(described.responses['401'].headers).to.have.property('WWW-Authenticate');
      expect(described.responses['400'].content['application/json'].schema).to.deep.equal({ $ref: '#/components/schemas/Error' });
    }
    for (const op of Object.values(serviceOperations)) {
      expect(operation(op.path, op.method).security, op.operationId).to.deep.equal([]);
    }
    expect(document.components.securitySchemes.bearerAuth).to.include({ type: 'http', scheme: 'bearer' });
  });

  it('describes the task and delivery fields, all required', () => {
    const { Task, Delivery, TaskDetail, DeliveryDetail } = document.components.schemas;
    const taskFields = [
      'id', 'task_type', 'status', 'repository', 'delivery_id', 'event_type', 'action', 'pull_request_number',
      'head_sha', 'attempt_count', 'last_error', 'reason', 'codegen_run', 'created_at', 'updated_at',
    ];
    expect(Object.keys(Task.properties)).to.have.members(taskFields);
    expect(Task.required).to.have.members(taskFields);
    expect(Object.keys(TaskDetail.properties)).to.have.members([...taskFields, 'findings', 'codegen_result', 'attempts']);
    expect(Object.keys(Delivery.properties)).to.have.members([
      'delivery_id', 'event_type', 'action', 'repository', 'installation_id', 'hook_id', 'stream_seq', 'outcome',
      'received_at', 'processed_at', 'error',
    ]);
    expect(DeliveryDetail.properties.tasks.items).to.deep.equal({ $ref: '#/components/schemas/Task' });
  });

  it('documents the webhook: its headers, both body encodings and every answer it gives', () => {
    const webhook = operation('/api/v1/webhooks/github', 'post');
    const headers = (webhook.parameters as Json[]).filter((p) => p.in === 'header');
    expect(headers.filter((p) => p.required).map((p) => p.name)).to.deep.equal([
      'X-GitHub-Delivery', 'X-GitHub-Event', 'X-Hub-Signature-256',
    ]);
    expect(Object.keys(webhook.requestBody.content)).to.have.members(['application/json', 'application/x-www-form-urlencoded']);
    expect(Object.keys(webhook.responses)).to.have.members(['202', '400', '401', '405', '413', '415', '422', '429', '500', '503']);
    expect(webhook.responses['202'].content['application/json'].schema).to.deep.equal({ $ref: '#/components/schemas/WebhookAccepted' });
    expect(webhook.responses['429'].headers).to.have.property('Retry-After');
    expect(webhook.responses['503'].headers).to.have.property('Retry-After');
    expect(document.components.schemas.WebhookAccepted.properties.result.properties.status.enum).to.deep.equal(['queued', 'duplicate']);
  });

  it('documents health with its 503 and metrics as text', () => {
    expect(Object.keys(operation('/health', 'get').responses)).to.have.members(['200', '503']);
    expect(document.components.schemas.Health.properties.status.enum).to.deep.equal(['healthy', 'degraded', 'unhealthy']);
    expect(Object.keys(operation('/metrics', 'get').responses['200'].content)[0]).to.match(/^text\/plain/);
  });

  it('marks every answer with X-Request-Id', () => {
    for (const methods of Object.values(document.paths) as Json[]) {
      for (const described of Object.values(methods) as Json[]) {
        for (const response of Object.values(described.responses) as Json[]) {
          expect(response.headers['X-Request-Id']).to.deep.equal({ $ref: '#/components/headers/X-Request-Id' });
        }
      }
    }
  });
});
