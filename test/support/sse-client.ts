import { createParser } from 'eventsource-parser';

export type ServerSentEvent = { event: string; data: any; at: number };

export type EventStreamResponse = {
  status: number;
  headers: Headers;
  /** The events in order, each with the time it arrived (performance.now()). */
  events: ServerSentEvent[];
  /** A body that was not an event stream (an error answered as JSON). */
  json?: any;
};

/**
 * POSTs with `Accept: text/event-stream` through Node's fetch and reads the body as it arrives with
 * eventsource-parser, as a browser or SDK client would. `stopAfter` closes the connection once that
 * event has arrived (a client that goes away mid-answer).
 */
export async function postEventStream(
  url: URL,
  auth: string,
  body: unknown,
  o: { stopAfter?: (e: ServerSentEvent) => boolean } = {},
): Promise<EventStreamResponse> {
  const controller = new AbortController();
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: auth, accept: 'text/event-stream', 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    return { status: res.status, headers: res.headers, events: [], json: await res.json() };
  }
  const events: ServerSentEvent[] = [];
  let stop = false;
  const parser = createParser({
    onEvent: (message) => {
      const event = { event: message.event ?? 'message', data: JSON.parse(message.data), at: performance.now() };
      events.push(event);
      if (o.stopAfter?.(event)) stop = true;
    },
  });
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      if (stop) {
        controller.abort();
        break;
      }
    }
  } catch (error) {
    if (!stop) throw error;
  }
  return { status: res.status, headers: res.headers, events };
}
