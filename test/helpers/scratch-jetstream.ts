import { connect, type NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, jetstreamManager, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { ensureStreams } from '../../src/bus/ensure-streams.js';
import { createPayloadStore, type PayloadStore } from '../../src/bus/payload-store.js';
import { createLastDeliveryReader, type ReadLastDelivery } from '../../src/bus/read-last-delivery.js';
import { loadStreamDefinitions } from '../../src/bus/stream-definitions.js';
import { createHash } from 'node:crypto';
import { createWebhookPublisher, type PublishResult, type WebhookPublication, type WebhookPublisher } from '../../src/bus/webhook-publisher.js';
import { createTopology, type Topology } from '../../src/contracts/topology.js';
import { silentLogger } from './test-database.js';
import { deleteNamespace, NATS_URL, uniqueNamespace } from './test-nats.js';

/** The project's streams in a namespace of one test file's own, on the real NATS server. */
export interface ScratchJetStream {
  nc: NatsConnection;
  js: JetStreamClient;
  topology: Topology;
  /** The namespace's claim-check store. */
  payloadStore: PayloadStore;
  /** Publishes deliveries as ingress does (PubAck awaited, claim check over max_payload). */
  publishWebhook: WebhookPublisher;
  /** Reads the newest message on a GITHUB subject, as ingress's replay check does. */
  readLastDelivery: ReadLastDelivery;
  /** {@link publishWebhook} without an expectation, the digest defaulting to the payload's SHA-256; throws unless stored. */
  publishStored(publication: Omit<WebhookPublication, 'digest'> & { digest?: string }): Promise<Extract<PublishResult, { kind: 'stored' }>>;
  /** The message at `seq` of `stream`, as a consumer receives it (a real JsMsg). */
  messageAt(stream: string, seq: number): Promise<JsMsg>;
  /** Closes the connection and deletes the namespace's streams. */
  close(): Promise<void>;
}

export async function openScratchJetStream(): Promise<ScratchJetStream> {
  const namespace = uniqueNamespace();
  const topology = createTopology(namespace);
  const nc = await connect({ servers: NATS_URL });
  const jsm = await jetstreamManager(nc);
  await ensureStreams({ jsm, definitions: await loadStreamDefinitions('streams'), topology, logger: silentLogger() });
  const js = jetstream(nc);
  const payloadStore = await createPayloadStore({ nc, bucket: topology.payloadBucket });
  const readLastDelivery = createLastDeliveryReader({ nc, stream: topology.streams.github, timeoutMs: 5000 });
  const publishWebhook = createWebhookPublisher({ nc, js, topology, payloadStore, readLast: readLastDelivery, timeoutMs: 5000 });
  return {
    nc,
    js,
    topology,
    payloadStore,
    readLastDelivery,
    publishWebhook,
    async publishStored(publication) {
      const digest = publication.digest ?? createHash('sha256').update(publication.payload).digest('hex');
      const result = await publishWebhook({ ...publication, digest });
      if (result.kind !== 'stored') throw new Error(`publishStored: ${publication.deliveryId} was not stored (${result.kind})`);
      return result;
    },
    async messageAt(stream, seq) {
      // An ordered consumer starting at `seq`: it leaves the durable consumers untouched.
      const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: seq });
      const message = await consumer.next({ expires: 5000 });
      await consumer.delete();
      if (!message) throw new Error(`${stream} delivered no message at ${seq}`);
      return message;
    },
    async close() {
      await nc.close();
      await deleteNamespace(namespace);
    },
  };
}
