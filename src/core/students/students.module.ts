import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ACCOUNT_DIRECTORY } from '../../common/auth/index.js';
import { Student } from './student.entity.js';
import { StudentsRepository } from './students.repository.js';
import { StudentsService } from './students.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Student])],
  // The global auth guard (common) asks Core whether a token's account still exists.
  providers: [StudentsRepository, StudentsService, { provide: ACCOUNT_DIRECTORY, useExisting: StudentsService }],
  exports: [StudentsService, ACCOUNT_DIRECTORY],
})
export class StudentsModule {}
