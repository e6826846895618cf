import { ApiException } from '../errors/api.exception.js';

/**
 * Opaque keyset cursors: the sort key of the last row a page returned, base64url-encoded.
 * Clients must treat them as opaque; a tampered one is a VALIDATION_ERROR, never a 500.
 */
export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, validate: (parts: string[]) => boolean): string[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.every((p) => typeof p === 'string') && validate(parts)) return parts;
  } catch {
    // fall through to the validation error
  }
  throw ApiException.validation([{ field: 'cursor', issue: 'is not a cursor this API returned' }]);
}
