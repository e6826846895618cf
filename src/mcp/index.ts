/** Public API of the MCP module: the module, and the runner that takes its schemas from the OpenAPI document. */
export { McpModule } from './mcp.module.js';
export { McpToolRunner } from './mcp-tool-runner.js';
