// The action reaches LAR with the runner's environment, and masks with the runner's ::add-mask::.
import * as core from '@actions/core';
import type { CallRecord, LarClient } from '../core/lar/client.ts';
import { connectToLar } from '../core/lar/connect.ts';

export function connectFromRunner(baseUrl: string, timeoutMs: number, onCall?: (record: CallRecord) => void): LarClient {
  return connectToLar({ baseUrl, timeoutMs, env: process.env, mask: core.setSecret, debug: core.debug, info: core.info, onCall });
}
