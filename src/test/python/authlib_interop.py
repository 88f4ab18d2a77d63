#!/usr/bin/env python3
"""Clavis as a new user meets it from Python: Authlib's stock OAuth 2.0 client and PyJWT, with their defaults.

usage: authlib_interop.py ISSUER AUDIENCE

Discovers the server (RFC 8414), registers three clients (RFC 7591), gets a token with client_secret_basic,
client_secret_post and private_key_jwt (Authlib's PrivateKeyJWT: RS256, exp one hour after iat), verifies each
token with PyJWT against the JWKS (signature, issuer, audience), then introspects (RFC 7662) and revokes (RFC 7009).
Prints one "ok <check>: <what>" line per check passed; on the first failure prints "FAILED <check>: <why>" and
exits 1. Run by clavis.interop.AuthlibInteropTest against a real server.
"""
import sys
import traceback
from urllib.parse import parse_qs

import authlib
import jwt
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata, get_well_known_url

SCOPE = "api.read"
TIMEOUT = 10


def check(name, condition, what):
    if not condition:
        raise AssertionError(f"{name}: {what}")
    print(f"ok {name}: {what}", flush=True)


def register(metadata, body):
    response = requests.post(metadata["registration_endpoint"], json=body, timeout=TIMEOUT)
    if response.status_code != 201:
        raise AssertionError(f"registration refused: {response.status_code} {response.text}")
    return response.json()


def verified(metadata, token, audience):
    """The token's claims, verified by PyJWT against the JWKS with the issuer and the audience checked."""
    key = jwt.PyJWKClient(metadata["jwks_uri"]).get_signing_key_from_jwt(token)
    return jwt.decode(token, key.key, algorithms=["RS256", "PS256", "ES256", "EdDSA"], issuer=metadata["issuer"],
                      audience=audience, options={"require": ["iss", "sub", "aud", "exp", "iat", "jti"]})


def main(issuer, audience):
    print(f"Authlib {authlib.__version__}, PyJWT {jwt.__version__}, requests {requests.__version__}", flush=True)

    # RFC 8414 section 3: the metadata lives at the well-known URL built from the issuer, and names that issuer.
    url = get_well_known_url(issuer, external=True)
    metadata = AuthorizationServerMetadata(requests.get(url, timeout=TIMEOUT).json())
    check("discovery", metadata.get("issuer") == issuer, f"{url} names issuer {metadata.get('issuer')}")
    for field in ("issuer", "token_endpoint", "jwks_uri", "registration_endpoint", "revocation_endpoint",
                  "introspection_endpoint", "token_endpoint_auth_methods_supported",
                  "token_endpoint_auth_signing_alg_values_supported"):
        getattr(metadata, "validate_" + field)()  # Authlib's own RFC 8414 checks of each field a client uses
    check("discovery-fields", "private_key_jwt" in metadata["token_endpoint_auth_methods_supported"],
          "Authlib's RFC 8414 checks pass for every endpoint and method a client uses")

    # client_secret_basic: Authlib's default for a client with a secret.
    basic = register(metadata, {"client_name": "authlib basic", "scope": "api.read api.write",
                                "token_endpoint_auth_method": "client_secret_basic"})
    check("registration", basic.get("client_id") and basic.get("client_secret"), "a client_secret_basic client")
    basic_session = OAuth2Session(basic["client_id"], basic["client_secret"], scope=SCOPE)
    token = basic_session.fetch_token(metadata["token_endpoint"], grant_type="client_credentials")
    claims = verified(metadata, token["access_token"], audience)
    check("client_secret_basic", claims["client_id"] == basic["client_id"] and claims["scope"] == SCOPE,
          f"token for {claims['client_id']} with scope {claims['scope']}")
    check("pyjwt-verification", claims["iss"] == issuer and claims["aud"] == audience,
          f"signature verified against the JWKS, iss and aud {claims['aud']} checked")
    for wrong in ({"issuer": "https://someone-else.example"}, {"audience": "https://someone-else.example"}):
        try:
            key = jwt.PyJWKClient(metadata["jwks_uri"]).get_signing_key_from_jwt(token["access_token"])
            jwt.decode(token["access_token"], key.key, algorithms=["RS256"], **{"issuer": issuer, "audience": audience, **wrong})
            raise AssertionError(f"PyJWT accepted the token with {wrong}")
        except (jwt.InvalidIssuerError, jwt.InvalidAudienceError):
            pass
    check("pyjwt-refusals", True, "PyJWT refuses the token for another issuer or another audience")

    # client_secret_post
    post = register(metadata, {"client_name": "authlib post", "token_endpoint_auth_method": "client_secret_post"})
    post_session = OAuth2Session(post["client_id"], post["client_secret"], token_endpoint_auth_method="client_secret_post")
    token = post_session.fetch_token(metadata["token_endpoint"], grant_type="client_credentials")
    check("client_secret_post", verified(metadata, token["access_token"], audience)["client_id"] == post["client_id"],
          "token for the client_secret_post client")

    # private_key_jwt with Authlib's stock PrivateKeyJWT and its defaults, as its documentation shows.
    key = JsonWebKey.generate_key("RSA", 2048, is_private=True)
    keyed = register(metadata, {"client_name": "authlib private_key_jwt", "token_endpoint_auth_method": "private_key_jwt",
                                "jwks": {"keys": [key.as_dict(is_private=False)]}})
    check("registration-with-keys", "client_secret" not in keyed, "a private_key_jwt client, with no secret")
    key_session = OAuth2Session(keyed["client_id"], key.as_pem(is_private=True), token_endpoint_auth_method="private_key_jwt",
                                revocation_endpoint_auth_method="private_key_jwt")
    key_session.register_client_auth_method(PrivateKeyJWT(metadata["token_endpoint"]))
    sent = []  # what went over the wire, to show which assertion Authlib made
    key_session.hooks["response"].append(lambda response, *args, **kwargs: sent.append(response.request.body))
    token = key_session.fetch_token(metadata["token_endpoint"], grant_type="client_credentials")
    assertion = parse_qs(sent[-1])["client_assertion"][0]
    made = jwt.decode(assertion, options={"verify_signature": False})
    header = jwt.get_unverified_header(assertion)
    lifetime = made["exp"] - made["iat"]
    check("private_key_jwt", verified(metadata, token["access_token"], audience)["client_id"] == keyed["client_id"],
          f"token for Authlib's stock PrivateKeyJWT: {header['alg']}, exp = iat + {lifetime} s")
    check("private_key_jwt-defaults", lifetime == 3600 and header["alg"] == "RS256",
          "the assertion had Authlib's defaults (RS256, one hour), not a lifetime tuned for Clavis")

    # RFC 7662 and RFC 7009, with Authlib's introspect_token and revoke_token.
    introspection = basic_session.introspect_token(metadata["introspection_endpoint"], token=token["access_token"])
    body = introspection.json()
    check("introspection", introspection.status_code == 200 and body.get("active") is True and body.get("client_id") == keyed["client_id"],
          f"active, client_id {body.get('client_id')} (asked with client_secret_basic)")
    revocation = key_session.revoke_token(metadata["revocation_endpoint"], token=token["access_token"])
    check("revocation", revocation.status_code == 200, "revoked by its own client (asked with private_key_jwt)")
    after = key_session.introspect_token(metadata["introspection_endpoint"], token=token["access_token"]).json()
    check("introspection-after-revocation", after == {"active": False}, f"{after} (asked with private_key_jwt)")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        main(sys.argv[1], sys.argv[2])
    except Exception as e:  # noqa: BLE001 - every failure is reported the same way
        traceback.print_exc(file=sys.stdout)
        print(f"FAILED {e}", flush=True)
        sys.exit(1)
    print("all checks passed", flush=True)
