import { AxiomError, type FailureCode } from '../errors.ts';

export type Call = 'create' | 'login' | 'has-existing' | 'key/create';

/**
 * Every failure of a LAR call. The message names the call and, when there was one, the HTTP status; it never
 * carries a response body, which may hold a token that was never parsed and so never masked.
 */
export class LarError extends AxiomError {
  readonly call: Call;
  readonly status: number | undefined;
  constructor(call: Call, message: string, status?: number, code: FailureCode = status === undefined ? 'network' : 'server') {
    super(code, `${call}: ${message}`);
    this.call = call;
    this.status = status;
  }
}
