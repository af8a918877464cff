"""The one helper of the demo site's templates that todomvc uses."""


def show_sources(file):
    """1.5's demo site printed the example's source code under it; a ported app needs none of that."""
