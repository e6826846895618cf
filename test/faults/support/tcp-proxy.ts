import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export type ProxyState = 'open' | 'refusing' | 'blackhole';

/**
 * A TCP proxy the test controls, between the app and a real server (PostgreSQL, the fake LLM).
 * `cut()` drops every connection and refuses new ones (nothing listens on the port any more);
 * `blackhole()` drops every connection and then accepts new ones without ever answering, like a
 * network that swallows packets; `restore()` forwards again on the same port.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
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

  async restore(): Promise<void> {
    if (this.mode === 'blackhole') this.dropAll();
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
    const drop = () => {
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
  }
}
