// The mock (and Prism, about 190 packages) is an optional peer: installed only by those who use
// --mock, `mock` or `trigger`. It is loaded on first use, and its absence is a usage error.
import { UsageError } from './usage-error.js';

type MockModule = typeof import('@realtimekit-webhooks/mock');

const MOCK_PACKAGE = '@realtimekit-webhooks/mock';

/** The mock package, or a UsageError (exit 2) that names it and how to install it. */
export async function loadMock(feature: string, specifier = MOCK_PACKAGE): Promise<MockModule> {
  try {
    return (await import(specifier)) as MockModule;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new UsageError(
        `${feature} needs the package ${MOCK_PACKAGE}, which is not installed: npm install --save-dev ${MOCK_PACKAGE}`,
      );
    }
    throw error;
  }
}
