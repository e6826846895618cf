import type { FakeMode } from './faults.js';
import type { MessageComposer } from './messages.js';
import type { FakeAnthropicOptions, RecordedRequest } from './options.js';
import type { StreamOutcome } from './streaming.js';
import type { PromptCache } from './usage.js';

/** What the endpoints share with the server that routes to them: its options, its cache, its script and its recording. */
export interface FakeHost {
  readonly url: string;
  readonly options: FakeAnthropicOptions;
  readonly cache: PromptCache;
  readonly composer: MessageComposer;
  /** Numbers the next request (its request-id and message id). */
  nextNumber(): number;
  /** Records a request the model would see and hands out its mode: the next queued one, else the default. */
  admit(request: RecordedRequest): FakeMode;
  /** How each streamed answer ended, in order. */
  readonly streamOutcomes: StreamOutcome[];
}
