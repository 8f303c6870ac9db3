import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOwnerHub } from '../../../src/modules/live/owner-hub.js';

const ALICE = 'alice';
const BOB = 'bob';

/** A compute function that records its calls and returns a new object each time. */
function counter() {
  const calls: string[] = [];
  let failNext = false;
  let gone = new Set<string>();
  const compute = async (ownerId: string) => {
    calls.push(ownerId);
    if (failNext) {
      failNext = false;
      throw new Error('database down');
    }
    if (gone.has(ownerId)) return null;
    return { ownerId, n: calls.length, at: Date.now() };
  };
  return {
    compute,
    calls,
    fail: () => (failNext = true),
    remove: (ownerId: string) => (gone = new Set([...gone, ownerId])),
  };
}

type Value = { ownerId: string; n: number; at: number };

/** Resolves with the next value, or 'nothing' when none is ready once pending work has run. */
async function poll(iterator: AsyncIterator<Value>) {
  const next = iterator.next();
  const result = await Promise.race([
    next,
    vi.advanceTimersByTimeAsync(0).then(() => 'nothing' as const),
  ]);
  return { result, next };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-01T12:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('owner hub (live analytics fan-out)', () => {
  it('sends the first value at once, then one per interval, computed once per owner per tick for all subscribers', async () => {
    const source = counter();
    const hub = createOwnerHub<Value>({ compute: source.compute, reuseMs: 1000 });
    const subs = [1, 2, 3].map(() => hub.watch(ALICE, { intervalMs: 5000 }));
    await Promise.all(subs.map((sub) => sub.ready));
    const firsts = await Promise.all(subs.map((sub) => sub.next()));
    // Three subscribers joining together share one computation.
    expect(source.calls).toEqual([ALICE]);
    expect(new Set(firsts.map((first) => first.value))).toHaveProperty('size', 1);
    expect(hub.stats()).toMatchObject({ owners: 1, groups: 1, subscribers: 3, computations: 1 });

    const pending = subs.map((sub) => sub.next());
    await vi.advanceTimersByTimeAsync(4999);
    expect(source.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const ticks = await Promise.all(pending);
    expect(source.calls).toEqual([ALICE, ALICE]);
    // One computed object per tick, shared by reference.
    expect(ticks.every((tick) => tick.value === ticks[0]!.value)).toBe(true);
    expect(ticks[0]!.value).toMatchObject({ n: 2 });

    await vi.advanceTimersByTimeAsync(5000);
    expect(source.calls).toHaveLength(3);
    for (const sub of subs) expect((await sub.next()).value).toMatchObject({ n: 3 });
    hub.stop();
  });

  it("keeps owners apart and shares a fresh computation between an owner's interval groups", async () => {
    const source = counter();
    const hub = createOwnerHub<Value>({ compute: source.compute, reuseMs: 1000 });
    const alice = hub.watch(ALICE, { intervalMs: 2000 });
    const bob = hub.watch(BOB, { intervalMs: 2000 });
    await Promise.all([alice.ready, bob.ready]);
    expect((await alice.next()).value?.ownerId).toBe(ALICE);
    expect((await bob.next()).value?.ownerId).toBe(BOB);

    // A second interval for Alice, joining within the reuse window: no new computation.
    await vi.advanceTimersByTimeAsync(500);
    const slow = hub.watch(ALICE, { intervalMs: 4000 });
    await slow.ready;
    expect((await slow.next()).value?.n).toBe(1);
    expect(source.calls).toEqual([ALICE, BOB]);
    expect(hub.stats()).toMatchObject({ owners: 2, groups: 3, subscribers: 3 });

    // Past the reuse window a new subscriber gets a new computation.
    await vi.advanceTimersByTimeAsync(1000);
    const late = hub.watch(ALICE, { intervalMs: 4000 });
    await late.ready;
    expect((await late.next()).value?.n).toBe(3);
    hub.stop();
  });

  it('WS-SLOW-07: a subscriber that stops reading holds only the latest value; the others keep flowing', async () => {
    const source = counter();
    const hub = createOwnerHub<Value>({ compute: source.compute, reuseMs: 1000 });
    const reader = hub.watch(ALICE, { intervalMs: 1000 });
    const paused = hub.watch(ALICE, { intervalMs: 1000 });
    await Promise.all([reader.ready, paused.ready]);
    await reader.next();
    for (let tick = 0; tick < 50; tick++) {
      const next = reader.next();
      await vi.advanceTimersByTimeAsync(1000);
      expect((await next).value?.n).toBe(tick + 2);
      expect(hub.stats().pendingValues).toBe(1);
    }
    expect((await paused.next()).value?.n).toBe(51);
    expect((await poll(paused)).result).toBe('nothing');
    hub.stop();
  });

  it('a failing first computation rejects `ready` (the subscribe fails); a failing tick is skipped', async () => {
    const source = counter();
    const errors: unknown[] = [];
    const hub = createOwnerHub<Value>({
      compute: source.compute,
      reuseMs: 1000,
      logger: { error: (error: unknown) => void errors.push(error) },
    });
    source.fail();
    const failed = hub.watch(ALICE, { intervalMs: 1000 });
    await expect(failed.ready).rejects.toThrow('database down');
    failed.close();
    expect(hub.stats()).toMatchObject({ owners: 0, subscribers: 0 });

    const sub = hub.watch(ALICE, { intervalMs: 1000 });
    await sub.ready;
    expect((await sub.next()).value).toBeDefined();
    source.fail();
    const { result, next } = await poll(sub);
    expect(result).toBe('nothing');
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await next).done).toBe(false);
    hub.stop();
  });

  it("completes an owner's streams when the owner is gone", async () => {
    const source = counter();
    const hub = createOwnerHub<Value>({ compute: source.compute, reuseMs: 1000 });
    const sub = hub.watch(ALICE, { intervalMs: 1000 });
    await sub.ready;
    await sub.next();
    const pending = sub.next();
    source.remove(ALICE);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(hub.stats()).toMatchObject({ owners: 0, groups: 0, subscribers: 0 });
  });

  it('releases everything when subscribers leave or the hub stops: no timers, no entries', async () => {
    const source = counter();
    const shutdown = new AbortController();
    const hub = createOwnerHub<Value>({
      compute: source.compute,
      reuseMs: 1000,
      signal: shutdown.signal,
    });
    const a = hub.watch(ALICE, { intervalMs: 1000 });
    const b = hub.watch(BOB, { intervalMs: 3000 });
    await Promise.all([a.ready, b.ready]);
    await a.return();
    expect(hub.stats()).toMatchObject({ owners: 1, groups: 1, subscribers: 1 });
    const waiting = (await b.next(), b.next());
    shutdown.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(hub.stats()).toMatchObject({ owners: 0, groups: 0, subscribers: 0, pendingValues: 0 });
    const calls = source.calls.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(source.calls).toHaveLength(calls);
    expect(vi.getTimerCount()).toBe(0);
    // After stop, a new watch ends at once.
    expect((await hub.watch(ALICE, { intervalMs: 1000 }).next()).done).toBe(true);
  });
});
