"""Request pages under the production settings and print what came back, as JSON.

Run by tests/test_security_headers.py in a separate process whose environment is the production one
(DEBUG off, SECRET_KEY set, HTTPS redirect, HSTS, __Host- cookies), pointed at the test database, so the
headers checked are the ones production sends, not the development settings' ones. Two things differ
from production, both unrelated to headers: static files are served without the collectstatic manifest
(tests never run collectstatic), and one extra URL raises an exception, to see the server error page.

Input (argv[1]): a JSON list of {"label", "path", "method", "as" (an email or null), "data", "htmx",
"csrf"}. Output: {label: {"status", "headers", "cookies"}}.
"""

import json
import sys
import time

import django


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import clear_url_caches, path

    import sendplan.urls
    from sendplan.models import User

    def server_error(request):
        raise RuntimeError("A deliberate fault, to see the server error page")

    sendplan.urls.urlpatterns.append(path("__security-probe-fault/", server_error))
    clear_url_caches()

    requests = json.loads(sys.argv[1])
    results = {}
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}):
        for item in requests:
            client = Client(enforce_csrf_checks=item.get("csrf", False), raise_request_exception=False)
            if item["as"]:
                user = User.objects.get(email=item["as"])
                client.force_login(user)
                session = client.session
                now = time.time()
                session["account_authentication_methods"] = [
                    {"method": "password", "at": now, "email": user.email},
                    {"method": "mfa", "at": now, "type": "totp"},
                ]
                session["account_authentication_methods_user"] = str(user.pk)
                session.save()
            extra = {"HTTP_HX_REQUEST": "true"} if item.get("htmx") else {}
            send = client.post if item["method"] == "POST" else client.get
            response = send(item["path"], item.get("data") or {}, secure=True, **extra)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
                response.close()
            results[item["label"]] = {
                "status": response.status_code,
                "headers": {k.lower(): v for k, v in response.headers.items()},
                "cookies": {
                    name: {
                        "secure": bool(morsel["secure"]),
                        "httponly": bool(morsel["httponly"]),
                        "samesite": morsel["samesite"],
                        "path": morsel["path"],
                        "domain": morsel["domain"],
                        "max-age": morsel["max-age"],
                    }
                    for name, morsel in response.cookies.items()
                },
            }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
