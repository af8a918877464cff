"""ASGI applications as projects write them, for the checks that look at ASGI_APPLICATION."""

from hypergen.asgi import get_asgi_application

serving = get_asgi_application(serve_static_files=True)
not_serving = get_asgi_application(serve_static_files=False)
