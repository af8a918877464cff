"""docs/tutorial.md, built and run: a project from startproject, its files as the tutorial shows them."""

import os
import re
import subprocess
import sys
from pathlib import Path

TUTORIAL = Path(__file__).resolve().parent.parent.parent / "docs" / "tutorial.md"
# A block whose first line names a file: "# groceries/views.py" writes it, ", continued" appends to it.
FILE_BLOCK = re.compile(
    r"```(?:python|ini)\n# (?P<path>[\w/.]+)(?P<continued>, continued)?\n(?P<code>.*?)```", re.DOTALL
)


def tutorial_files():
    files: dict[str, str] = {}
    for block in FILE_BLOCK.finditer(TUTORIAL.read_text()):
        path, code = block["path"], block["code"]
        files[path] = files[path] + "\n\n" + code if block["continued"] else code
    return files


def run(*args, cwd):
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    result = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def test_the_tutorial_shows_every_file_it_needs():
    assert set(tutorial_files()) == {
        "mysite/settings.py",
        "mysite/asgi.py",
        "mysite/urls.py",
        "groceries/models.py",
        "groceries/views.py",
        "groceries/urls.py",
        "groceries/tests.py",
        "pytest.ini",
    }


def test_the_tutorial_project_checks_migrates_and_passes_its_tests(tmp_path):
    run("-m", "django", "startproject", "mysite", str(tmp_path), cwd=tmp_path)
    run("manage.py", "startapp", "groceries", cwd=tmp_path)
    for path, code in tutorial_files().items():
        (tmp_path / path).write_text(code)
    run("manage.py", "makemigrations", "groceries", cwd=tmp_path)
    run("manage.py", "migrate", cwd=tmp_path)
    checked = run("manage.py", "check", "--fail-level", "WARNING", cwd=tmp_path)
    assert "no issues" in checked
    output = run("-m", "pytest", "groceries/tests.py", "-q", "-p", "no:cacheprovider", cwd=tmp_path)
    assert "3 passed" in output
