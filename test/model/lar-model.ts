// An in-memory LAR for the property tests, on the same rules as the stand-in (lar-rules.ts), and an Exchange that
// reaches it through a scripted fault per request, on a virtual clock. Every fault is placed before or after the
// server acts, so a test can hold the client to what the server really did.
import { type Deadline, startDeadline } from '../../src/core/lar/client.ts';
import { AttemptFailure, type Exchange, type Exchanged, type Outgoing } from '../../src/core/lar/exchange.ts';
import { type Answer, LarRules, ROUTES, type Route } from '../stand-in/lar-rules.ts';

export type Fault =
  | 'ok'
  /** The connection is refused: the request never left. */
  | 'refused'
  /** The connection drops before the server reads the request. */
  | 'reset-before'
  /** The server acts, then the connection drops. */
  | 'lost-after'
  /** No answer until the attempt times out; the server never got it, or got it and acted. */
  | 'hang-before'
  | 'hang-after'
  /** HTTP 502 before acting, or 500 after acting. */
  | '5xx-before'
  | '5xx-after'
  /** HTTP 503 with Retry-After, before or after acting. */
  | '503-before'
  | '503-after'
  /** HTTP 429, before acting, with or without Retry-After. */
  | '429'
  | '429-no-retry-after'
  /** A proxy's HTML page instead of the answer; or the server acts and its answer is cut off. */
  | 'garbled-before'
  | 'garbled-after'
  /** The server acts, and answers JSON of the wrong shape. */
  | 'wrong-shape-after';

export const FAULTS: readonly Fault[] = [
  'ok',
  'refused',
  'reset-before',
  'lost-after',
  'hang-before',
  'hang-after',
  '5xx-before',
  '5xx-after',
  '503-before',
  '503-after',
  '429',
  '429-no-retry-after',
  'garbled-before',
  'garbled-after',
  'wrong-shape-after',
];

export class VirtualClock {
  now = 0;
  readonly sleep = (ms: number): Promise<void> => {
    this.now += ms;
    return Promise.resolve();
  };
  deadline(totalMs: number): Deadline {
    return startDeadline(totalMs, () => this.now);
  }
}

/** LAR's rules (see lar-rules.ts) reached by the client's own requests, which it records by route. */
export class ModelLar extends LarRules {
  readonly requests: Route[] = [];

  handle(request: Outgoing): Answer {
    const route = ROUTES[`${request.method} ${request.path}`];
    if (route === undefined) return { status: 404, body: { message: 'not found' } };
    this.requests.push(route);
    return this.answer(route, this.receiveBody(request.body ?? ''), request.headers.authorization);
  }
}

/** Each request takes the next fault of the schedule; once it runs out, every request is answered normally. */
export function faultyExchange(server: ModelLar, clock: VirtualClock, schedule: readonly Fault[], latencyMs = 30): Exchange {
  let next = 0;
  return {
    async send(request: Outgoing): Promise<Exchanged> {
      const fault = schedule[next++] ?? 'ok';
      if (fault === 'refused') {
        clock.now += 1;
        throw new AttemptFailure('unsent', 'could not connect to the model (ECONNREFUSED)');
      }
      if (fault === 'hang-before' || fault === 'hang-after') {
        if (fault === 'hang-after') server.handle(request);
        clock.now += request.timeoutMs;
        throw new AttemptFailure('lost', `no answer within ${request.timeoutMs} ms`);
      }
      clock.now += latencyMs;
      switch (fault) {
        case 'reset-before':
          throw new AttemptFailure('lost', 'the connection failed (ECONNRESET)');
        case '5xx-before':
          return { status: 502 };
        case '503-before':
          return { status: 503, retryAfter: '1' };
        case '429':
          return { status: 429, retryAfter: '1' };
        case '429-no-retry-after':
          return { status: 429 };
        case 'garbled-before':
          return { status: 200, text: '<html><body>502 Bad Gateway</body></html>' };
        default:
          break;
      }
      const answer = server.handle(request);
      const text = JSON.stringify(answer.body);
      switch (fault) {
        case 'lost-after':
          throw new AttemptFailure('lost', 'the connection failed (UND_ERR_SOCKET)');
        case '5xx-after':
          return { status: 500 };
        case '503-after':
          return { status: 503, retryAfter: '1' };
        case 'garbled-after':
          return { status: 200, text: text.slice(0, Math.floor(text.length / 2)) };
        case 'wrong-shape-after':
          return { status: 200, text: '{"unexpected":true}' };
        default:
          return answer.status >= 200 && answer.status < 300 ? { status: answer.status, text } : { status: answer.status };
      }
    },
    close: () => Promise.resolve(),
  };
}
