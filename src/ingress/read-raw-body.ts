import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors/app-error.js';

export interface ReadRawBodyOptions {
  /** Largest body accepted, in bytes. */
  limit: number;
}

/**
 * Reads a request body as exact bytes, never holding more than `limit` of them. A declared
 * Content-Length over the limit fails before any byte is read; a body that grows past it fails
 * as soon as it does. In both cases the rest of the body is drained and discarded (not buffered)
 * so the 413 can still reach the sender; see {@link closeAfterResponse}.
 */
export function readRawBody(req: IncomingMessage, options: ReadRawBodyOptions): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > options.limit) {
    return Promise.reject(tooLarge(options.limit));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const onData = (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      if (received > options.limit) {
        settled = true;
        chunks.length = 0;
        cleanup();
        reject(tooLarge(options.limit));
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
