from hypergen.liveview import NO_PERM_REQUIRED, action, callback, liveview
from hypergen.template import button, div, p

COUNT = {"n": 0}


@liveview(perm=NO_PERM_REQUIRED, target_id="content")
def counter(request):
    with div(id="content"):
        p(f"Count: {COUNT['n']}", id="count")
        button("+1", id="inc", onclick=callback(increment))


@action(perm=NO_PERM_REQUIRED, base_view=counter)
def increment(request):
    COUNT["n"] += 1
