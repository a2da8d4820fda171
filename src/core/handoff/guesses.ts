// How many guesses finding a secret would take, as zxcvbn estimates them: it knows common passwords, English words and
// names, keyboard layouts, sequences, repeats and dates. Loaded on first use, because its dictionaries take long
// enough to load that a step given no handoff secret should not wait for them.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

let estimator: Promise<ZxcvbnFactory> | undefined;
/** A step judges its secret when it reads its inputs and again when it seals: the second answer is the first. */
const estimates = new Map<string, Promise<number>>();

/** The estimate as a power of ten. Only the secret is judged: no hint about the user, which could end up in a log. */
export function estimatedGuessesLog10(secret: string): Promise<number> {
  let estimate = estimates.get(secret);
  if (estimate === undefined) {
    estimator ??= loadEstimator();
    estimate = estimator.then((zxcvbn) => zxcvbn.check(secret).guessesLog10);
    estimates.set(secret, estimate);
  }
  return estimate;
}

async function loadEstimator(): Promise<ZxcvbnFactory> {
  const [{ ZxcvbnFactory }, common, english] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]);
  return new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...english.dictionary }, graphs: common.adjacencyGraphs });
}
