import { Module } from '@nestjs/common';
import { AppConfigModule } from '../config/index.js';
import { CoreModule } from '../core/index.js';
import { PremiumModule } from '../premium/index.js';
import { ChapterResources } from './chapter-resources.js';
import { CourseMcpServer } from './course-mcp-server.js';
import { CourseTools } from './course-tools.js';
import { McpOriginGuard, mcpOriginConfig } from './mcp-origin.guard.js';
import { McpToolRunner } from './mcp-tool-runner.js';
import { McpController } from './mcp.controller.js';

/** /mcp: the course as tools and resources for assistants, over Core's and Premium's own services. */
@Module({
  imports: [CoreModule, PremiumModule, AppConfigModule.forFeature(mcpOriginConfig)],
  controllers: [McpController],
  providers: [CourseTools, McpToolRunner, ChapterResources, CourseMcpServer, McpOriginGuard],
  exports: [McpToolRunner],
})
export class McpModule {}
