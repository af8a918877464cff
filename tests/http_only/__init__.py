"""A project that uses liveviews and actions only: no Channels in INSTALLED_APPS."""
