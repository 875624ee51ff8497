package org.panamaipc.attack;

import java.util.Map;

/**
 * Hostile-segment cases kept by name, each found by the fuzzer: the seed replays it exactly
 * ({@code -Dattack.seed=fuzz:SEED}). They run in both modes. Those that fail today are also listed,
 * with their defect, in {@link KnownDefects#FAILING_CASES} under {@code fuzz-regression:NAME}.
 */
final class FuzzRegressions {

    private FuzzRegressions() {
    }

    /** Name to seed. */
    static final Map<String, String> CASES = Map.ofEntries(
            // a tail not a multiple of 8: claimMany reads the tag at 3927 (IllegalArgumentException: alignment)
            Map.entry("mpsc-unaligned-tail-in-claim", "0x4b468baa92eb0cc7"),
            // a head not a multiple of 8: a fresh receiver reads the tag at 5 (alignment)
            Map.entry("unaligned-head-in-fresh-receiver", "0xf5cb55e748bb5003"),
            // a head at the last byte of the records: the tag read runs past the end (IndexOutOfBoundsException)
            Map.entry("head-at-records-end-in-fresh-receiver", "0x50282d2901f6e217"),
            // an MPSC tail of 10: the commit's tag store fails on alignment, the claim stays open, and
            // every later claim and even close() throw: the sender is wedged (long run 0x27cb13cd86b51cfd)
            Map.entry("unaligned-tail-wedges-sender", "0x9fe9f93e63a3544b"),
            // the repair lock's owner word set to a live pid: attaching waits 10 s, then IllegalStateException
            // "is busy" where IpcTimeoutException is the convention (long run 0x7ef129b91d8112b8, 4 of 2,500 cases)
            Map.entry("repair-lock-held-by-live-pid", "0x6d9b61b6735efffd"));
}
