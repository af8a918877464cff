"""A stand-in for the ``website`` app of django-hypergen's demo site, which todomvc's templates import."""
