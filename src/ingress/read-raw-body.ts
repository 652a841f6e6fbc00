import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors/app-error.js';
import type { BodyByteAccount } from './body-byte-budget.js';

export interface ReadRawBodyOptions {
  /** Largest body accepted, in bytes. */
  limit: number;
  /** Charged with the declared length up front, or with each chunk of a body of unknown length. */
  account?: Pick<BodyByteAccount, 'take'>;
}

/**
 * Reads a request body as exact bytes, never holding more than `limit` of them. A declared
 * Content-Length over the limit fails before any byte is read; a body that grows past it fails
 * as soon as it does. In both cases the rest of the body is drained and discarded (not buffered)
 * so the 413 can still reach the sender; see {@link closeAfterResponse}. With an `account`, the
 * bytes are taken from a shared budget before they are buffered, and a refusal (503) ends the
 * read the same way.
 */
export function readRawBody(req: IncomingMessage, options: ReadRawBodyOptions): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > options.limit) {
    return Promise.reject(tooLarge(options.limit));
  }
  const { account } = options;
  // Node's parser never delivers more than a declared Content-Length, so that is all it can take.
  const chargePerChunk = declared === undefined ? account : undefined;
  try {
    if (declared !== undefined) account?.take(Number(declared));
  } catch (error) {
    return Promise.reject(error as Error);
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const onData = (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      let refusal: Error | undefined;
      if (received > options.limit) refusal = tooLarge(options.limit);
      else {
        try {
          chargePerChunk?.take(chunk.length);
        } catch (error) {
          refusal = error as Error;
        }
      }
      if (refusal) {
        settled = true;
        chunks.length = 0;
        cleanup();
        reject(refusal);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    };
    const onError = (error: Error) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(new AppError('bad_request', 'the request body could not be read', { cause: error }));
    };
    const onAborted = () => onError(new Error('request aborted'));
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

function tooLarge(limit: number): AppError {
  return new AppError('payload_too_large', `the request body exceeds the limit of ${limit} bytes`, {
    details: { limit },
  });
}
