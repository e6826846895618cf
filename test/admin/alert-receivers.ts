import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = {
  from: string | null;
  to: string[];
  /** The authenticated SMTP user, when the client logged in. */
  user: string | null;
  /** Unfolded header value. */
  subject: string;
  /** The whole message as sent (headers and body). */
  raw: string;
  /** The plain-text body as sent (the tests send short ASCII text: 7bit, no encoding). */
  text: string;
};

export type SmtpReceiver = {
  url: string;
  port: number;
  messages: ReceivedMail[];
  close: () => Promise<void>;
};

/**
 * A real SMTP server on 127.0.0.1 that keeps every message. With `credentials` it requires
 * AUTH (over plain text: STARTTLS is disabled) and rejects any other user or password.
 */
export async function startSmtpReceiver(credentials?: { user: string; pass: string }): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    logger: false,
    authOptional: credentials === undefined,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    closeTimeout: 100,
    onAuth(auth, _session, callback) {
      if (credentials && auth.username === credentials.user && auth.password === credentials.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : null,
          subject: header(raw, 'subject') ?? '',
          raw,
          text: raw.slice(raw.indexOf('\r\n\r\n') + 4),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An unfolded header of a raw message (RFC 5322 §2.2.3). */
function header(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n(?=[ \t])/g, '');
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

export type ReceivedPost = { method: string; url: string; headers: IncomingHttpHeaders; body: unknown };

export type WebhookReceiver = {
  url: string;
  requests: ReceivedPost[];
  /** The HTTP status it answers with from now on. */
  status: number;
  close: () => Promise<void>;
};

/** A real HTTP server on 127.0.0.1 that records every request and answers `status`. */
export async function startWebhookReceiver(status = 204): Promise<WebhookReceiver> {
  const requests: ReceivedPost[] = [];
  const receiver: WebhookReceiver = { url: '', requests, status, close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the text
      }
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.statusCode = receiver.status;
      res.end(receiver.status >= 400 ? 'nope' : '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${port}/hooks/alerts?token=hook-secret-123`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** A local port nothing listens on (bound, read, released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
