"""Every page carries the strict policy of settings.CONTENT_SECURITY_POLICY (django-csp)."""

HEADER = "Content-Security-Policy"


def test_a_page_served_by_the_app_carries_the_policy(client):
    response = client.get("/accounts/login/")
    policy = response.headers[HEADER]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy + ";"
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy


def test_a_refusal_page_carries_it_too(client):
    assert "default-src 'self'" in client.get("/no-such-page/").headers[HEADER]
