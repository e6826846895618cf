import { Module } from '@nestjs/common';
import { GlossaryController } from './glossary.controller.js';
import { GlossaryRepository } from './glossary.repository.js';
import { GlossaryService } from './glossary.service.js';

@Module({
  controllers: [GlossaryController],
  providers: [GlossaryRepository, GlossaryService],
  exports: [GlossaryService],
})
export class GlossaryModule {}
