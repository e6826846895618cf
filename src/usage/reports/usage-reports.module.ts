import { Module } from '@nestjs/common';
import { UsageReportRepository } from './usage-report.repository.js';

/** The operators' reads of the usage log, on their own: they need nothing else of UsageModule. */
@Module({ providers: [UsageReportRepository], exports: [UsageReportRepository] })
export class UsageReportsModule {}
