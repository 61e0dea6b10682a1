package io.portunus.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of every parser that reads network or file bytes (issue #14), with
 * Jazzer. In the Maven suite (regression mode) each target runs its seeds and every input that
 * once failed, kept in src/test/resources/io/portunus/fuzz/ParserFuzzTestInputs/METHOD/. With
 * JAZZER_FUZZ=1 and -Dtest=ParserFuzzTest#METHOD it fuzzes that one target for maxDuration;
 * bench/fuzz/run.sh runs the long campaign (10^6 executions per target) with Jazzer's CLI.
 */
class ParserFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void janusApi(byte[] data) {
        FuzzTargets.janusApi(data);
    }

    @FuzzTest(maxDuration = "30s")
    void adminApi(byte[] data) {
        FuzzTargets.adminApi(data);
    }

    @FuzzTest(maxDuration = "30s")
    void jcfg(byte[] data) {
        FuzzTargets.jcfg(data);
    }

    @FuzzTest(maxDuration = "30s")
    void sdp(byte[] data) {
        FuzzTargets.sdp(data);
    }

    @FuzzTest(maxDuration = "30s")
    void stun(byte[] data) {
        FuzzTargets.stun(data);
    }

    @FuzzTest(maxDuration = "30s")
    void dtlsRecord(byte[] data) {
        FuzzTargets.dtlsRecord(data);
    }

    @FuzzTest(maxDuration = "30s")
    void rtp(byte[] data) {
        FuzzTargets.rtp(data);
    }

    @FuzzTest(maxDuration = "30s")
    void rtcp(byte[] data) {
        FuzzTargets.rtcp(data);
    }

    @FuzzTest(maxDuration = "30s")
    void spCodec(byte[] data) {
        FuzzTargets.spCodec(data);
    }
}
