import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { appUrl, type TestApp } from './test-app.js';

/** The MCP endpoint of a test app, which starts listening on a port of its own for real clients. */
export function mcpUrl(t: TestApp): Promise<URL> {
  return appUrl(t.app, '/mcp');
}

/** The SDK's own client over Streamable HTTP, sending `auth` as the Authorization header. */
export async function connectMcp(url: URL, auth: string | undefined, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'course-companion-tests', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { ...headers, ...(auth && { authorization: auth }) } } });
  await client.connect(transport);
  return client;
}

/** A tools/call through the SDK client (which checks the result against the tool's output schema). */
export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** What a refused tool call carries: the REST envelope's `error`. */
export function toolError(result: CallToolResult): { code: string; message: string; request_id: string; [extra: string]: unknown } {
  expect(result.isError).toBe(true);
  const envelope = result.structuredContent as { error: { code: string; message: string; request_id: string } };
  expect(Object.keys(envelope)).toEqual(['error']);
  expect((result.content[0] as { text: string }).text).toContain(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.error;
}

export const MCP_HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' } as const;

/** One raw HTTP request to /mcp: for what a client library would not send. */
export async function postMcp(
  url: URL,
  body: string | object,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A tools/call as one JSON-RPC message (the server is stateless: no initialize needed first). */
export const toolCallMessage = (name: string, args: unknown, id = 1) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
