import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller.js';

/** The admin dashboard page (GET /admin) and its static files; the data comes from the admin APIs. */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
