import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Chapter } from './chapter.entity.js';
import { ChaptersController } from './chapters.controller.js';
import { ChaptersRepository } from './chapters.repository.js';
import { ChaptersService } from './chapters.service.js';
import { CourseSearchService } from './course-search.service.js';
import { SectionsRepository } from './sections.repository.js';

@Module({
  imports: [TypeOrmModule.forFeature([Chapter])],
  controllers: [ChaptersController],
  providers: [ChaptersRepository, ChaptersService, SectionsRepository, CourseSearchService],
  exports: [ChaptersService, CourseSearchService],
})
export class ContentModule {}
