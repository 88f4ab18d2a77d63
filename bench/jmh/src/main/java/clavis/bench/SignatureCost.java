package clavis.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;

import clavis.jwt.SigningAlgorithm;
import clavis.jwt.SigningKey;

/**
 * CPU milliseconds per signature on one thread, with Clavis's own signer, measured by the thread's CPU clock:
 * the reference for "CPU per token at most 1.15 times one signature". Usage: SignatureCost [SECONDS=5] [ALG...]
 */
public final class SignatureCost {
    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String[] algs = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length) : new String[] {"RS256", "ES256", "EdDSA"};
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        byte[] input = new byte[420]; // a header.claims signing input of Clavis's size
        new SecureRandom().nextBytes(input);
        for (String alg : algs) {
            SigningKey key = SigningKey.generate(SigningAlgorithm.of(alg), new SecureRandom());
            long warmEnd = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < warmEnd) key.sign(input);
            long cpu0 = mx.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            long n = 0;
            while (System.nanoTime() - wall0 < seconds * 1_000_000_000L) {
                key.sign(input);
                n++;
            }
            double cpuMs = (mx.getCurrentThreadCpuTime() - cpu0) / 1e6;
            System.out.printf("SIGNATURE alg=%s signatures=%d cpu_ms_per_signature=%.4f per_second_one_core=%.0f%n",
                    alg, n, cpuMs / n, n / (cpuMs / 1000));
        }
    }
}
