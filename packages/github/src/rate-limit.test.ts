import { describe, expect, it } from "vitest";
import { rateLimitWait } from "./rate-limit";

const NOW = 1_800_000_000_000;
const secondary = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";

function err(status: number, message: string, headers: Record<string, string> = {}) {
  return { status, message, response: { headers } };
}

describe("rateLimitWait", () => {
  it("honours retry-after first", () => {
    expect(
      rateLimitWait(err(403, secondary, { "retry-after": "7", "x-ratelimit-remaining": "0" }), 1, NOW),
    ).toEqual({
      kind: "secondary",
      ms: 7000,
    });
  });

  it("then waits until x-ratelimit-reset (plus a second) when the limit is exhausted", () => {
    const reset = String(NOW / 1000 + 30);
    expect(
      rateLimitWait(
        err(403, "API rate limit exceeded", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }),
        1,
        NOW,
      ),
    ).toEqual({
      kind: "primary",
      ms: 31_000,
    });
    expect(
      rateLimitWait(err(403, secondary, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }), 1, NOW)
        ?.ms,
    ).toBe(31_000);
  });

  it("then backs off from a minute, doubling per retry", () => {
    expect(rateLimitWait(err(403, secondary), 1, NOW)?.ms).toBe(60_000);
    expect(rateLimitWait(err(403, secondary), 3, NOW)?.ms).toBe(240_000);
    expect(rateLimitWait(err(429, "Too Many Requests"), 1, NOW)).toEqual({ kind: "secondary", ms: 60_000 });
  });

  it("ignores errors that are not rate limits", () => {
    expect(rateLimitWait(err(403, "Resource not accessible by integration"), 1, NOW)).toBeUndefined();
    expect(rateLimitWait(err(502, secondary, { "retry-after": "1" }), 1, NOW)).toBeUndefined();
    expect(rateLimitWait({ message: "boom" }, 1, NOW)).toBeUndefined();
  });
});
