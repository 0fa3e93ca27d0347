import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pintu.settings")
application = get_wsgi_application()

if os.environ.get("PINTU_POOLING_CHECK", "1") != "0":
    # A transaction-mode pooler would mix regencies' search paths: refuse to serve (pintu.pooling).
    from pintu.pooling import pooling_check

    pooling_check()
