import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';

/**
 * Answers what Node's HTTP parser refuses before any route runs (a request line and headers over
 * its 16 KB limit, a malformed request) in the API.md envelope, as Fastify's default handler does
 * in its own shape. Nothing of the request (its URL may carry a token) is logged.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, issue] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'VALIDATION_ERROR', 'the URL and headers are longer than the server accepts']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'VALIDATION_ERROR', 'the request did not arrive in time']
        : [400, 'VALIDATION_ERROR', 'is not a valid HTTP request'];
  const requestId = randomUUID();
  const body = JSON.stringify({
    error: { code, message: 'The request could not be read', request_id: requestId, details: [{ field: 'request', issue }] },
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${requestId}\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
