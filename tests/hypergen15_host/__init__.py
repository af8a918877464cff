"""A project that serves a django-hypergen 1.5 app after ``python -m hypergen.upgrade`` ported it.

The app itself is not here: tests/browser/test_upgrade_todomvc.py copies tests/hypergen15/todomvc to a
temporary directory, runs the codemod on it and puts that directory and this one on PYTHONPATH.
"""
