import { expect } from 'chai';
import { connectNats } from '../../../src/bus/connect-nats.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { NATS_URL } from '../../helpers/test-nats.js';

describe('connectNats', () => {
  it('connects to the given servers, logs it, and reports the connection until closed', async () => {
    const captured = captureLogger();
    const link = await connectNats({ servers: [NATS_URL], logger: captured.logger, name: 'connect-nats-test' });
    try {
      expect(link.connected()).to.equal(true);
      expect(link.nc.info?.server_name).to.be.a('string');
      expect(captured.records().map((line) => line.msg)).to.deep.equal(['connected to NATS']);
    } finally {
      await link.nc.close();
    }
    expect(link.connected()).to.equal(false);
  });
});
