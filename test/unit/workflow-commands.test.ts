// workflow-commands.ts: commands given before @actions/core has loaded are written once it has, in the order given,
// so every ::add-mask:: still comes before a line that could show its secret.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

let written: string[];
beforeEach(() => {
  vi.resetModules(); // a fresh module each test: nothing loaded, nothing waiting
  written = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('before @actions/core has loaded', () => {
  it('writes nothing, then everything in the order given once it loads', async () => {
    const commands = await import('../../src/action/workflow-commands.ts');
    commands.setSecret('s3cret-value');
    commands.info('first line');
    commands.debug('a debug line');
    commands.warning('careful');
    commands.setFailed('it failed');
    expect(written).toEqual([]);
    expect(process.exitCode).toBeUndefined();
    await commands.commandsWritten();
    expect(written.join('')).toBe(
      ['::add-mask::s3cret-value', 'first line', '::debug::a debug line', '::warning::careful', '::error::it failed', ''].join('\n'),
    );
    expect(process.exitCode).toBe(1);
  });

  it('writes at once after it has loaded, and loads @actions/core only once', async () => {
    const commands = await import('../../src/action/workflow-commands.ts');
    commands.startLoadingCore();
    commands.startLoadingCore();
    const loaded = await commands.loadCore();
    expect(await commands.loadCore()).toBe(loaded);
    commands.info('now');
    expect(written).toEqual(['now\n']);
  });
});
