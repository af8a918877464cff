import os

# Playwright's sync API runs an event loop in the test thread; Django's async-safety
# check would then refuse the ORM calls that integration tests make in that thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
