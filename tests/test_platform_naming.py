"""`platform/` is a source folder, never a package: Python's own `platform` must win."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECK = "import platform, uuid, boto3, sentry_sdk, celery; print(platform.system())"


def test_platform_folder_has_no_init():
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_stdlib_platform_imports_from_repo_root():
    out = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "Linux"


def test_stdlib_platform_under_pytest():
    import platform

    assert platform.system() == "Linux"
    assert Path(platform.__file__).parent != ROOT / "platform"


def test_stdlib_platform_under_manage_py():
    code = "import platform, uuid, boto3, sentry_sdk, celery; print(platform.system())"
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "Linux"


def test_pintu_imports_from_anywhere(tmp_path):
    out = subprocess.run([sys.executable, "-c", "import pintu.embedded, tenants, permits; print('ok')"],
                         cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
