import type { ApiException } from '../../common/errors/index.js';
import { createValidationPipe } from '../../common/http/index.js';
import { UpdateFlagDto } from './flags.dto.js';

const pipe = createValidationPipe();
const validate = (value: unknown) => pipe.transform(value, { type: 'body', metatype: UpdateFlagDto });
const issues = async (value: unknown) => {
  try {
    await validate(value);
  } catch (error) {
    return (error as ApiException).extra.details;
  }
  return [];
};

describe('UpdateFlagDto variants', () => {
  it('takes variants with distinct names', async () => {
    expect(await issues({ variants: [{ name: 'adaptive', weight: 50 }, { name: 'static', weight: 50 }] })).toEqual([]);
  });

  it('refuses two variants of the same name', async () => {
    expect(await issues({ variants: [{ name: 'static', weight: 50 }, { name: 'static', weight: 50 }] })).toEqual([
      { field: 'variants', issue: 'names must be unique' },
    ]);
  });

  it('leaves malformed variants to their own validation', async () => {
    expect(await issues({ variants: [{ name: 7, weight: 50 }, { name: 7, weight: 50 }] })).toEqual([
      { field: 'variants.0.name', issue: 'must be a short lower-case name' },
      { field: 'variants.1.name', issue: 'must be a short lower-case name' },
    ]);
  });
});
