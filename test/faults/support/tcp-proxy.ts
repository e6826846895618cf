import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export type ProxyState = 'open' | 'refusing' | 'blackhole' | 'stalled';

/**
 * A TCP proxy the test controls, between the app and a real server (PostgreSQL, the fake LLM).
 * `cut()` drops every connection and refuses new ones (nothing listens on the port any more);
 * `blackhole()` drops every connection and then accepts new ones without ever answering, like a
 * network that swallows packets; `stall()` keeps every connection open but stops forwarding on
 * them (and on new ones), like a peer that hangs mid-conversation; `reset()` sends a TCP RST on
 * every connection and forwards new ones; `restore()` forwards again on the same port.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private mode: ProxyState = 'open';
  /** Connections accepted since start, for tests that prove nothing got through. */
  connections = 0;

  private constructor(
    private readonly target: { host: string; port: number },
    private port: number,
  ) {}

  static async start(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, port);
    await proxy.listen();
    return proxy;
  }

  get state(): ProxyState {
    return this.mode;
  }

  get address(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.port };
  }

  /** Drops every connection and stops listening: new connections get ECONNREFUSED. */
  async cut(): Promise<void> {
    this.mode = 'refusing';
    this.dropAll();
    await this.stopListening();
  }

  /** Drops every connection, then accepts new ones and never forwards a byte. */
  async blackhole(): Promise<void> {
    this.mode = 'blackhole';
    this.dropAll();
    if (!this.server) await this.listen();
  }

  /** Keeps the connections but forwards nothing more, in either direction, until restore(). */
  async stall(): Promise<void> {
    this.mode = 'stalled';
    for (const pair of this.pairs) {
      pair.client.unpipe(pair.upstream);
      pair.upstream.unpipe(pair.client);
      pair.client.pause();
      pair.upstream.pause();
    }
    if (!this.server) await this.listen();
  }

  /** A TCP reset on every open connection (both sides); new connections are forwarded as before. */
  reset(): void {
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    this.pairs.clear();
  }

  async restore(): Promise<void> {
    if (this.mode === 'blackhole' || this.mode === 'stalled') this.dropAll();
    this.mode = 'open';
    if (!this.server) await this.listen();
  }

  async close(): Promise<void> {
    this.mode = 'refusing';
    this.dropAll();
    await this.stopListening();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        this.port = (server.address() as AddressInfo).port;
        this.server = server;
        resolve();
      });
    });
  }

  private stopListening(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.connections++;
    this.track(client);
    if (this.mode !== 'open') return; // blackhole: hold the socket, read nothing, answer nothing
    const upstream = connect(this.target.port, this.target.host);
    this.track(upstream);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    // A socket destroyed by dropAll() may still report ECONNRESET; nobody else is listening.
    socket.on('error', () => undefined);
  }

  private dropAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.pairs.clear();
  }
}
