import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { expect } from 'chai';
import { createStoredPayloadReader } from '../../../src/bus/stored-payload-reader.js';
import { AppError } from '../../../src/errors/app-error.js';
import { natsForSuite } from '../../helpers/test-nats.js';

describe('createStoredPayloadReader (for a headers_only consumer)', () => {
  const suite = natsForSuite();
  const stream = `${suite.namespace}_STORED`;
  const subject = `${suite.namespace}.stored.>`;

  before(async () => {
    const jsm = await jetstreamManager(suite.nc);
    await jsm.streams.add({ name: stream, subjects: [subject] });
  });

  it('reads back the data a headers_only consumer was not sent', async () => {
    const jsm = await jetstreamManager(suite.nc);
    const js = jetstream(suite.nc);
    const body = new TextEncoder().encode(JSON.stringify({ repository: { full_name: 'o/r' } }));
    const ack = await js.publish(`${suite.namespace}.stored.issues`, body);
    await jsm.consumers.add(stream, { durable_name: 'headers', ack_policy: AckPolicy.Explicit, headers_only: true });
    const consumer = await js.consumers.get(stream, 'headers');
    const message = await consumer.next({ expires: 5000 });
    expect(message?.data.length, 'the server left the data out').to.equal(0);
    expect(message?.headers?.get('Nats-Msg-Size')).to.equal(String(body.length));
    message?.ack();
    expect(await createStoredPayloadReader(jsm, stream)(ack.seq)).to.deep.equal(body);
  });

  it('refuses, as a permanent failure, a message no longer in the stream', async () => {
    const jsm = await jetstreamManager(suite.nc);
    const error = await createStoredPayloadReader(jsm, stream)(999_999).then(
      () => expect.fail('a missing message cannot be read'),
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(AppError);
    expect((error as AppError).code).to.equal('permanent_failure');
  });
});
