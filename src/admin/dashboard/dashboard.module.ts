import { join } from 'node:path';
import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { projectRoot } from '../../common/paths/index.js';
import { dashboardPlugin } from './dashboard.plugin.js';

/** The admin dashboard page (GET /admin) and its static files; the data comes from the admin APIs. */
@Module({})
export class DashboardModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    // Not awaited: Fastify loads the plugin when the server gets ready, after Nest has set its
    // not-found and error handlers, which the plugin's routes then inherit.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    void fastify?.register(dashboardPlugin(join(projectRoot(), 'public', 'admin')));
  }
}
