import { expect } from 'chai';
import { managementOperations } from '../../../src/api/management-operations.js';

const operations = Object.entries(managementOperations);
const pathParams = (path: string) => [...path.matchAll(/:([a-z_]+)/g)].map((match) => match[1]);

describe('managementOperations', () => {
  it('keys each operation by its operationId, under /api/v1', () => {
    for (const [key, operation] of operations) {
      expect(operation.operationId).to.equal(key);
      expect(operation.path, key).to.match(/^\/api\/v1\//);
    }
  });

  it('requires the bearer token everywhere and documents the refusal', () => {
    for (const [key, operation] of operations) {
      expect(operation.auth, key).to.equal('bearer');
      expect(operation.responses, key).to.include.keys('400', '401', '500');
    }
  });

  it('validates exactly the parameters each path names', () => {
    for (const [key, operation] of operations) {
      expect(Object.keys(operation.params.shape), key).to.have.members(pathParams(operation.path));
    }
  });

  it('documents not_found for operations on one item and 503 for those that publish', () => {
    const onOneItem = operations.filter(([, operation]) => pathParams(operation.path).length > 0);
    expect(onOneItem.map(([key]) => key)).to.include.members(['getTask', 'retryTask', 'getDelivery', 'replayDelivery', 'redriveDeadLetter']);
    for (const [key, operation] of onOneItem) expect(operation.responses, key).to.include.keys('404');
    for (const key of ['retryTask', 'replayDelivery', 'redriveDeadLetter'] as const) {
      expect(managementOperations[key].method, key).to.equal('post');
      expect(managementOperations[key].responses, key).to.include.keys('202', '503');
    }
  });
});
