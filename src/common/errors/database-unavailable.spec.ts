import { createServer, type AddressInfo } from 'node:net';
import pg from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });

/** A port that was free a moment ago: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('isDatabaseUnavailable', () => {
  it('recognises a refused connection from the real pg client', async () => {
    const client = new pg.Client({ host: '127.0.0.1', port: await closedPort(), connectionTimeoutMillis: 1000 });
    const error = await client.connect().catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a connect timeout', new Error('Connection terminated due to connection timeout')],
    ['a pool wait timeout', new Error('timeout exceeded when trying to connect')],
    ['an admin shutdown (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['a server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['a connection failure (08006)', pgError('08006', 'connection failure')],
    ['too many connections (53300)', pgError('53300', 'sorry, too many clients already')],
    ['a wrapped drop', new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly'))],
    ['a wrapped shutdown', new QueryFailedError('SELECT 1', [], pgError('57P02', 'crash shutdown'))],
    ['a transaction whose connection dropped (TypeORM released its runner)', new QueryRunnerAlreadyReleasedError()],
    ['a dual-stack refusal', new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })])],
  ])('says yes to %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], pgError('23505', 'duplicate key value violates unique constraint'))],
    ['a syntax error', new QueryFailedError('SELEC', [], pgError('42601', 'syntax error at or near "SELEC"'))],
    ['a statement timeout', new QueryFailedError('SELECT', [], pgError('57014', 'canceling statement due to statement timeout'))],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['not an error', 'Connection terminated'],
    ['nothing', undefined],
  ])('says no to %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
