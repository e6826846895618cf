import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakeOpenAiAnswer =
  | { status: 200; content: string; finishReason?: 'stop' | 'length' | 'content_filter'; refusal?: string }
  | { status: number; error: string; retryAfter?: string };

/**
 * A minimal OpenAI-compatible chat completions server (what Ollama and vLLM expose), for the
 * openai-compatible adapter's tests: records each request and answers from a queue.
 */
export class FakeOpenAiServer {
  readonly requests: { headers: IncomingMessage['headers']; body: any }[] = [];
  private readonly answers: FakeOpenAiAnswer[] = [];
  private readonly sockets = new Set<Socket>();
  private served = 0;

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<FakeOpenAiServer> {
    const holder: { fake?: FakeOpenAiServer } = {};
    const server = createServer((req, res) => void holder.fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeOpenAiServer(server, `http://127.0.0.1:${port}/v1`);
    holder.fake = fake;
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    return fake;
  }

  enqueue(...answers: FakeOpenAiAnswer[]): void {
    this.answers.push(...answers);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const body = JSON.parse(raw);
    this.requests.push({ headers: req.headers, body });
    const answer = this.answers.shift() ?? { status: 200, content: '{}' };
    if (answer.status !== 200) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if ('retryAfter' in answer && answer.retryAfter) headers['retry-after'] = answer.retryAfter;
      res.writeHead(answer.status, headers).end(JSON.stringify({ error: { message: 'error' in answer ? answer.error : 'error' } }));
      return;
    }
    if (typeof body.model !== 'string' || body.model === '') {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'model is required' } }));
      return;
    }
    const content = 'content' in answer ? answer.content : '';
    const finishReason = ('finishReason' in answer && answer.finishReason) || 'stop';
    const refusal = ('refusal' in answer && answer.refusal) || null;
    const prompt = JSON.stringify(body.messages).length;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-fake-${++this.served}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, finish_reason: finishReason, message: { role: 'assistant', content: refusal ? null : content, refusal } }],
        usage: {
          prompt_tokens: Math.ceil(prompt / 4),
          completion_tokens: Math.ceil(content.length / 4),
          total_tokens: Math.ceil(prompt / 4) + Math.ceil(content.length / 4),
          prompt_tokens_details: { cached_tokens: 8 },
        },
      }),
    );
  }
}
