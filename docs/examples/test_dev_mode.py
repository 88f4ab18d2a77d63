"""A test outside the JVM against Clavis in dev mode: Python 3, standard library only.

Start the server first (from the repository root):   java -jar target/clavis.jar --server.dev-mode=true
then run:                                            python3 docs/examples/test_dev_mode.py
CLAVIS_URL changes where it looks (default http://localhost:8080).
"""
import base64
import hashlib
import json
import os
import unittest
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ.get("CLAVIS_URL", "http://localhost:8080")
ISSUER = BASE + "/auth-login/rest/oauth2/authorization-servers/orders"  # any id: it exists on first use


def call(url, form=None, body=None, user=None):
    headers = {}
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if user is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(("%s:%s" % user).encode()).decode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers)) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def b64(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify_rs256(jwt, jwks):
    """The check a resource server makes: the JWKS key named by kid, RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 3.3)."""
    header_b64, claims_b64, signature_b64 = jwt.split(".")
    header = json.loads(b64(header_b64))
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    assert header["alg"] == "RS256" == key["alg"]
    n, e = int.from_bytes(b64(key["n"]), "big"), int.from_bytes(b64(key["e"]), "big")
    size = (n.bit_length() + 7) // 8
    em = pow(int.from_bytes(b64(signature_b64), "big"), e, n).to_bytes(size, "big")
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420")
    digest = hashlib.sha256((header_b64 + "." + claims_b64).encode()).digest()
    expected = b"\x00\x01" + b"\xff" * (size - 3 - len(digest_info) - len(digest)) + b"\x00" + digest_info + digest
    if em != expected:
        raise ValueError("bad signature")
    return json.loads(b64(claims_b64))


class DevModeTest(unittest.TestCase):
    def test_discovery_then_a_token_for_any_client_that_verifies_against_the_jwks(self):
        status, metadata = call(ISSUER + "/.well-known/openid-configuration")
        self.assertEqual(200, status)
        self.assertTrue(metadata["clavis_dev_mode"])
        status, token = call(metadata["token_endpoint"], form={"grant_type": "client_credentials", "scope": "orders:read"},
                             user=("checkout-service", "any-secret"))
        self.assertEqual(200, status, token)
        _, jwks = call(metadata["jwks_uri"])
        claims = verify_rs256(token["access_token"], jwks)
        self.assertEqual(ISSUER, claims["iss"])
        self.assertEqual("checkout-service", claims["client_id"])
        self.assertEqual("orders:read", claims["scope"])

    def test_dev_token_signs_any_claims(self):
        status, token = call(ISSUER + "/dev/token", body={"sub": "alice", "roles": ["admin"]})
        self.assertEqual(200, status, token)
        _, jwks = call(ISSUER + "/jwks")
        claims = verify_rs256(token["access_token"], jwks)
        self.assertEqual(["admin"], claims["roles"])
        self.assertEqual(ISSUER, claims["iss"])

    def test_a_tampered_token_does_not_verify(self):
        _, token = call(ISSUER + "/dev/token", body={"sub": "mallory"})
        header, claims, signature = token["access_token"].split(".")
        forged = base64.urlsafe_b64encode(json.dumps({"sub": "admin", "iss": ISSUER}).encode()).decode().rstrip("=")
        _, jwks = call(ISSUER + "/jwks")
        with self.assertRaises(ValueError):
            verify_rs256(header + "." + forged + "." + signature, jwks)


if __name__ == "__main__":
    unittest.main()
