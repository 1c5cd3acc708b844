from tests.access.matrix import Route, api_expect, expect


def routes(org):
    token = org.staff.api_tokens.create(name="t", prefix="abcdefgh", key_hash="0" * 64)
    return {
        "core:dashboard": Route("/", expect(200)),
        "core:profile": Route("/me/", expect(200)),
        # Only one's own tokens: another person's token is a 404.
        "core:token_revoke": Route(f"/me/tokens/{token.pk}/revoke/", expect(404, staff=302), method="POST"),
        "core:set_language": Route("/language/", expect(302, anonymous=302), method="POST",
                                   data={"language": "fr", "next": "/"}),
        "core:ledger": Route("/ledger/", expect(403, admin=200, qse=200, auditor=200)),
        "api-me": Route("/api/v1/me/", api_expect(200)),
    }
