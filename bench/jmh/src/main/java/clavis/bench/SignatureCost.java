package clavis.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import clavis.jwt.SigningAlgorithm;
import clavis.jwt.SigningKey;

/**
 * CPU milliseconds per signature with Clavis's own signer, measured by the signing threads' CPU clocks: the
 * reference for "CPU per token at most 1.15 times one signature". With SIGNING_THREADS=2 (environment) two
 * threads sign at once, so that both cores are busy as they are under the token load; 1 (the default) is one
 * thread on an otherwise idle machine. Usage: SignatureCost [SECONDS=5] [ALG...]
 */
public final class SignatureCost {
    public static void main(String[] args) throws InterruptedException {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String[] algs = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length) : new String[] {"RS256", "ES256", "EdDSA"};
        int threads = Integer.parseInt(System.getenv().getOrDefault("SIGNING_THREADS", "1"));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        byte[] input = new byte[420]; // a header.claims signing input of Clavis's size
        new SecureRandom().nextBytes(input);
        for (String alg : algs) {
            SigningKey key = SigningKey.generate(SigningAlgorithm.of(alg), new SecureRandom());
            AtomicLong signatures = new AtomicLong();
            AtomicLong cpuNanos = new AtomicLong();
            List<Thread> signers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> {
                    long warmEnd = System.nanoTime() + 3_000_000_000L;
                    while (System.nanoTime() < warmEnd) key.sign(input);
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    long wall0 = System.nanoTime();
                    long n = 0;
                    while (System.nanoTime() - wall0 < seconds * 1_000_000_000L) {
                        key.sign(input);
                        n++;
                    }
                    cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
                    signatures.addAndGet(n);
                });
                signers.add(t);
                t.start();
            }
            for (Thread t : signers) t.join();
            double cpuMs = cpuNanos.get() / 1e6;
            long n = signatures.get();
            System.out.printf("SIGNATURE alg=%s threads=%d signatures=%d cpu_ms_per_signature=%.4f per_second_one_core=%.0f%n",
                    alg, threads, n, cpuMs / n, n / (cpuMs / 1000));
        }
    }
}
