import { ApiProperty } from '@nestjs/swagger';

export class CheckDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' }) status!: 'up' | 'down';
  @ApiProperty({ example: 2, description: 'Round-trip time of the check in milliseconds' }) latency_ms!: number;
  @ApiProperty({ required: false, example: 'redis' }) store?: string;
}

export class LlmCheckDto extends CheckDto {
  @ApiProperty({ enum: ['anthropic', 'openai-compatible', 'rules'], example: 'anthropic' }) provider!: string;
  @ApiProperty({ type: [String], example: [], description: 'provider:model circuits that are open' }) open_circuits!: string[];
  @ApiProperty({
    enum: ['ok', 'invalid', 'unknown', 'unchecked'],
    example: 'ok',
    description: 'The provider\'s verdict on our credentials, checked at boot without spending tokens; `invalid` serves the rules answer',
  })
  auth!: 'ok' | 'invalid' | 'unknown' | 'unchecked';
}

export class HealthChecksDto {
  @ApiProperty({ type: CheckDto }) database!: CheckDto;
  @ApiProperty({ type: CheckDto }) cache!: CheckDto;
  @ApiProperty({ type: CheckDto, description: 'The grading queue (pg-boss)' }) queue!: CheckDto;
  @ApiProperty({ type: LlmCheckDto }) llm!: LlmCheckDto;
}

export class HealthDto {
  @ApiProperty({ enum: ['healthy', 'degraded'], example: 'healthy' }) status!: 'healthy' | 'degraded';
  @ApiProperty({ example: true }) phase1_enabled!: boolean;
  @ApiProperty({ example: true }) phase2_enabled!: boolean;
  @ApiProperty({ enum: ['anthropic', 'openai-compatible', 'rules'], example: 'rules' }) llm_provider!: string;
  @ApiProperty({ type: HealthChecksDto }) checks!: HealthChecksDto;
  @ApiProperty({ format: 'date-time', example: '2026-11-22T10:15:00.000Z' }) timestamp!: string;
}
