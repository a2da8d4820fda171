/** The message of anything thrown: ours are written to be shown; anything else is named, never dumped. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
