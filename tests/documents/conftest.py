from tests.s3 import local_storage, s3_server, s3_storage  # noqa: F401 - fixtures
