import { expect } from 'chai';
import { payloadOrigin } from '../../../src/contracts/webhook-envelope.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';

describe('payloadOrigin', () => {
  it('reads the repository and installation of a real delivery', () => {
    const payload = examplePayload('push', (p) => p.installation !== undefined) as Record<string, any>;
    expect(payloadOrigin(payload)).to.deep.equal({ repository: payload.repository.full_name, installationId: payload.installation.id });
  });

  it('leaves out what an event does not name', () => {
    const payload = examplePayload('installation', (p) => p.action === 'created');
    expect(payloadOrigin(payload)).to.deep.equal({ repository: undefined, installationId: (payload.installation as { id: number }).id });
    expect(payloadOrigin({})).to.deep.equal({ repository: undefined, installationId: undefined });
  });

  it('leaves out a field of the wrong type, keeping the other', () => {
    expect(payloadOrigin({ repository: { full_name: 42 }, installation: { id: 1 } })).to.deep.equal({ repository: undefined, installationId: 1 });
    expect(payloadOrigin({ repository: { full_name: 'o/r' }, installation: { id: '1' } })).to.deep.equal({ repository: 'o/r', installationId: undefined });
    expect(payloadOrigin({ repository: null, installation: 'x' })).to.deep.equal({ repository: undefined, installationId: undefined });
  });
});
