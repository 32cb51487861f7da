/**
 * Tests read JSON bodies whose shape is exactly what they assert on; typing every
 * response would only restate the assertions. This widens `Response.json()` for test
 * code only (tsconfig.test.json includes test/), never for src/.
 */
export {};

declare global {
  interface Response {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see file comment
    json(): Promise<any>;
  }
}
