// nock 15 depends on @mswjs/interceptors 0.44, which calls Promise.withResolvers (Node 22+).
// Development machines and CI run Node 20, so the test process gets the one-line polyfill.
// Product code never relies on it.
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
