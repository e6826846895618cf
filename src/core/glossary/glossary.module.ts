import { Module } from '@nestjs/common';
import { GlossaryController } from './glossary.controller.js';
import { GlossaryService } from './glossary.service.js';

@Module({
  controllers: [GlossaryController],
  providers: [GlossaryService],
  exports: [GlossaryService],
})
export class GlossaryModule {}
