import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppConfigModule } from './app-config.module.js';
import { loadConfig } from './config.loader.js';
import { configSlice, type ConfigOf } from './config-slice.js';

const quotaSettings = configSlice('spec-quota', ['PREMIUM_ASSESSMENTS_LIMIT', 'QUOTA_HOLD_SECONDS']);
const throttleSettings = configSlice('spec-throttle', ['THROTTLE_LIMIT_PER_IP']);

@Injectable()
class Reader {
  constructor(
    @Inject(quotaSettings.KEY) readonly quota: ConfigOf<typeof quotaSettings>,
    @Inject(throttleSettings.KEY) readonly throttle: ConfigOf<typeof throttleSettings>,
  ) {}
}

@Module({ imports: [AppConfigModule.forFeature(quotaSettings, throttleSettings)], providers: [Reader], exports: [Reader] })
class ReaderModule {}

describe('configuration slices', () => {
  it('give a consumer the settings it declared, validated once, and nothing else', async () => {
    const config = loadConfig({ PREMIUM_ASSESSMENTS_LIMIT: '7', QUOTA_HOLD_SECONDS: '90', THROTTLE_LIMIT_PER_IP: '3', JWT_SECRET_KEY: 'x'.repeat(32) });
    const moduleRef = await Test.createTestingModule({ imports: [AppConfigModule.forRoot(config), ReaderModule] }).compile();
    const reader = moduleRef.get(Reader);
    expect(reader.quota).toEqual({ PREMIUM_ASSESSMENTS_LIMIT: 7, QUOTA_HOLD_SECONDS: 90 });
    expect(reader.throttle).toEqual({ THROTTLE_LIMIT_PER_IP: 3 });
    expect(Object.isFrozen(reader.quota)).toBe(true);
    expect((reader.quota as Record<string, unknown>).JWT_SECRET_KEY).toBeUndefined();
    await moduleRef.close();
  });

  it('keep an unset optional setting as undefined, not read from the process environment', async () => {
    const urlSettings = configSlice('spec-url', ['REDIS_URL']);
    process.env.REDIS_URL = 'redis://from-the-environment:6379';
    try {
      const moduleRef = await Test.createTestingModule({ imports: [AppConfigModule.forRoot(loadConfig({})), AppConfigModule.forFeature(urlSettings)] }).compile();
      expect(moduleRef.get(urlSettings.KEY)).toEqual({ REDIS_URL: undefined });
      await moduleRef.close();
    } finally {
      delete process.env.REDIS_URL;
    }
  });
});
