"""Pintu: the platform layer (settings, URLconfs, Celery app, identity, access, audit, web).

The Celery app (`pintu.celery`) is not imported here: it costs ~15 % of every process's start-up
(kombu, its serializers, yaml) and only processes that queue or run tasks need it. Each tasks module
imports it before declaring its tasks, so sending one configures the app first; `celery -A pintu`
finds `pintu.celery.app` by itself.
"""
