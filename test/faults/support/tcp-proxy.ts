import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export type ProxyState = 'open' | 'refusing' | 'blackhole' | 'paused';

/**
 * A TCP proxy the test controls, between the app and a real server (PostgreSQL, the fake LLM).
 * `cut()` drops every connection and refuses new ones (nothing listens on the port any more);
 * `blackhole()` drops every connection and then accepts new ones without ever answering, like a
 * network that swallows packets; `pause()` holds every byte in both directions without dropping
 * anything (a stalled network) until `resume()`; `cutOn(marker)` cuts the moment the app sends
 * bytes containing `marker` (e.g. a statement mid-transaction), before they reach the server;
 * `restore()` forwards again on the same port.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private marker?: string;
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

  /** Stops forwarding, keeping every connection open; new ones are accepted and held too. */
  pause(): void {
    this.mode = 'paused';
    for (const pair of this.pairs) hold(pair);
  }

  /** Forwards what was held, and everything after it. */
  resume(): void {
    if (this.mode !== 'paused') return;
    this.mode = 'open';
    for (const pair of this.pairs) flow(pair);
  }

  /** Cuts (as `cut()`) when the app next sends bytes containing `marker`; those bytes never arrive. */
  cutOn(marker: string): Promise<void> {
    this.marker = marker;
    return new Promise((resolve) => {
      this.onCut = resolve;
    });
  }

  private onCut?: () => void;

  async restore(): Promise<void> {
    this.marker = undefined;
    if (this.mode === 'paused') this.resume();
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
    if (this.mode !== 'open' && this.mode !== 'paused') return; // blackhole: hold the socket, read nothing, answer nothing
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
    // Before the pipe's own listener, so the marked bytes are dropped with the connection.
    client.on('data', (chunk: Buffer) => {
      if (this.marker !== undefined && chunk.includes(this.marker)) {
        this.marker = undefined;
        const cut = this.cut();
        void cut.then(() => this.onCut?.());
      }
    });
    if (this.mode === 'paused') hold(pair);
    else flow(pair);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    // A socket destroyed by dropAll() may still report ECONNRESET; nobody else is listening.
    socket.on('error', () => undefined);
  }

  private dropAll(): void {
    this.pairs.clear();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}

function hold({ client, upstream }: { client: Socket; upstream: Socket }): void {
  client.unpipe(upstream);
  upstream.unpipe(client);
  client.pause();
  upstream.pause();
}

function flow({ client, upstream }: { client: Socket; upstream: Socket }): void {
  client.pipe(upstream);
  upstream.pipe(client);
}
