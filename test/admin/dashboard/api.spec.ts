/** The dashboard's reading of the API's error envelope (public/admin/js/api.js), on real Response objects. */
import { ApiError, errorFrom, rangeQuery } from '../../../public/admin/js/api.js';

const answer = (status: number, body: unknown) => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });

describe('dashboard API errors', () => {
  it("takes the envelope's message and code, with the field details after it", async () => {
    const error = await errorFrom(
      answer(400, {
        error: {
          code: 'VALIDATION_ERROR',
          message: 'The request is not valid',
          request_id: 'r1',
          details: [{ field: 'end_date', issue: 'the range may span at most 1098 days' }, { field: 'group_by' }, null],
        },
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    expect({ name: error.name, status: error.status, code: error.code, message: error.message }).toEqual({
      name: 'ApiError',
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'The request is not valid: end_date the range may span at most 1098 days; group_by',
    });
  });

  it('says what the status was when the body is not the envelope', async () => {
    for (const body of ['<html>Bad gateway</html>', { error: 'nope' }, { error: { message: '' } }, []]) {
      const error = await errorFrom(answer(502, body));
      expect([error.status, error.code, error.message]).toEqual([502, null, 'The server answered 502']);
    }
  });

  it('writes the date range as a query string', () => {
    expect(rangeQuery('2026-03-01', '2026-03-31')).toBe('start_date=2026-03-01&end_date=2026-03-31');
    expect(rangeQuery('a&b', 'c=d')).toBe('start_date=a%26b&end_date=c%3Dd');
  });
});
