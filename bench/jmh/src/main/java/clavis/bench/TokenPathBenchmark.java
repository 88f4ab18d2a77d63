package clavis.bench;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import clavis.json.Json;
import clavis.jwt.JwtSigner;
import clavis.jwt.SigningAlgorithm;
import clavis.jwt.SigningKey;
import clavis.oauth.Secrets;

/**
 * The token path's parts, one at a time: client authentication (hash and constant-time compare), building and
 * serializing the claims, signing them, and serializing the response. The sum, next to the server's CPU per
 * token in BENCHMARKS.md, shows what the HTTP server and the rest cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class TokenPathBenchmark {
    @Param({"RS256", "ES256", "EdDSA"})
    public String alg;

    private JwtSigner signer;
    private String secret;
    private String storedHash;
    private byte[] claims;
    private Map<String, Object> claimMap;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        signer = new JwtSigner(SigningKey.generate(SigningAlgorithm.of(alg), random), "at+jwt");
        Secrets secrets = new Secrets(random);
        secret = secrets.generate();
        storedHash = Secrets.hash(secret);
        claimMap = claims();
        claims = Json.write(claimMap);
    }

    private static Map<String, Object> claims() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "http://localhost:8080/auth-login/rest/oauth2/authorization-servers/myAS");
        c.put("sub", "5572a786-010e-48a3-8c87-0d94d263f3b9");
        c.put("aud", "http://localhost:8080/auth-login/rest/oauth2/authorization-servers/myAS");
        c.put("client_id", "5572a786-010e-48a3-8c87-0d94d263f3b9");
        c.put("scope", "client-scope");
        long now = Clock.systemUTC().instant().getEpochSecond();
        c.put("iat", now);
        c.put("exp", now + 18000);
        c.put("jti", "YUvfT7JJZF4ebcc03cyJsg");
        return c;
    }

    @Benchmark
    public boolean clientAuthentication() {
        return Secrets.matches(secret, storedHash);
    }

    @Benchmark
    public byte[] claimsSerialization() {
        return Json.write(claims());
    }

    @Benchmark
    public String signing() {
        return signer.sign(claims);
    }

    @Benchmark
    public byte[] responseSerialization() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("access_token", "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJodHRwOi8vbG9jYWxob3N0In0.c2lnbmF0dXJl");
        r.put("scope", "client-scope");
        r.put("token_type", "Bearer");
        r.put("expires_in", 18000L);
        return Json.write(r);
    }

    /** All of the above in sequence: the token path without HTTP and without the client lookup. */
    @Benchmark
    public byte[] wholeToken() {
        Secrets.matches(secret, storedHash);
        String token = signer.sign(Json.write(claims()));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("access_token", token);
        r.put("scope", "client-scope");
        r.put("token_type", "Bearer");
        r.put("expires_in", 18000L);
        return Json.write(r);
    }
}
