import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { TestApp } from './test-app.js';

/** The MCP endpoint of a test app, which starts listening on a port of its own for real clients. */
export async function mcpUrl(t: TestApp): Promise<URL> {
  if (!t.app.getHttpServer().listening) await t.app.listen(0, '127.0.0.1');
  return new URL('/mcp', await t.app.getUrl());
}

/** The SDK's own client over Streamable HTTP, sending `auth` as the Authorization header. */
export async function connectMcp(url: URL, auth: string | undefined): Promise<Client> {
  const client = new Client({ name: 'course-companion-tests', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: auth ? { authorization: auth } : {} } });
  await client.connect(transport);
  return client;
}
