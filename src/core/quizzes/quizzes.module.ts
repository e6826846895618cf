import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QuizQuestion } from './quiz-question.entity.js';
import { QuizResult } from './quiz-result.entity.js';
import { QuizResultsRepository } from './quiz-results.repository.js';
import { Quiz } from './quiz.entity.js';
import { QuizzesController } from './quizzes.controller.js';
import { QuizzesRepository } from './quizzes.repository.js';
import { QuizzesService } from './quizzes.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Quiz, QuizQuestion, QuizResult])],
  controllers: [QuizzesController],
  providers: [QuizzesService, QuizzesRepository, QuizResultsRepository],
  exports: [QuizResultsRepository, QuizzesService],
})
export class QuizzesModule {}
