/**
 * What the SDK turns into a JSON-RPC error: its code, message and data as they are (an McpError
 * would put "MCP error <code>:" in front of the message, and clients add that again).
 */
export function protocolError(code: number, message: string, data?: unknown): Error {
  return Object.assign(new Error(message), { code, data });
}
