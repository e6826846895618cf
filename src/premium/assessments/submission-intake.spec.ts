import { requestHash } from './submission-intake.service.js';

describe('requestHash', () => {
  it('is the SHA-256 of the question id and the answer on two lines (as `printf "%s\\n%s" | sha256sum` gives it)', () => {
    expect(requestHash('04-rag-q1', 'RAG keeps answers current.')).toBe('86528088e1aaf9e6a869726b26d92624a2aee7db0573a1e4cc8f86d274dad920');
    expect(requestHash('04-rag-q1', 'RAG keeps answers current!')).toBe('8193117fbbc17de3dbee16a6bbdb9b61bf2bfa374d3bcf6922cbededa118f86f');
  });
});
