import { connect, type NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, jetstreamManager, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { ensureStreams } from '../../src/bus/ensure-streams.js';
import { createPayloadStore, type PayloadStore } from '../../src/bus/payload-store.js';
import { loadStreamDefinitions } from '../../src/bus/stream-definitions.js';
import { createWebhookPublisher, type WebhookPublisher } from '../../src/bus/webhook-publisher.js';
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
  return {
    nc,
    js,
    topology,
    payloadStore,
    publishWebhook: createWebhookPublisher({ nc, js, topology, payloadStore, timeoutMs: 5000 }),
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
